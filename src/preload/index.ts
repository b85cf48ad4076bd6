/**
 * The narrow bridge between the sandboxed renderer and the main process:
 * one named function per API method and an event subscription, exposed as
 * `window.loopdeck` (a LoopdeckClient). No generic send(channel).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ApiError, type ApiCall, type ApiErrorBody, type ApiResult, apiOverCall, type LoopdeckClient } from '../shared/api';
import type { RunEvent } from '../shared/events';

type Reply = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

const call: ApiCall = async (method, ...args) => {
  const reply = (await ipcRenderer.invoke(`loopdeck:${method}`, ...args)) as Reply;
  if (reply.ok) return reply.result as ApiResult<typeof method>;
  throw new ApiError(reply.error);
};

const api: LoopdeckClient = {
  ...apiOverCall(call),
  onEvent(listener) {
    const handler = (_event: IpcRendererEvent, runEvent: RunEvent) => listener(runEvent);
    ipcRenderer.on('loopdeck:event', handler);
    return () => ipcRenderer.removeListener('loopdeck:event', handler);
  },
};

contextBridge.exposeInMainWorld('loopdeck', api);

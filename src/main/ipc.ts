/**
 * The control API over Electron IPC: one handler per API method, arguments
 * checked like the WebSocket server's, errors carried back as ApiErrorBody.
 */
import { ipcMain, type WebContents, type WebFrameMain } from 'electron';
import { API_METHODS, ApiError, type LoopdeckClient } from '../shared/api';
import { dispatch } from './api/dispatch';

export const EVENT_CHANNEL = 'loopdeck:event';
export const channelOf = (method: string) => `loopdeck:${method}`;

/** Calls are answered only for our own renderer's main frame (`trusted`), never for another page or a subframe. */
export function registerApiHandlers(api: LoopdeckClient, target: () => WebContents | null, trusted: (frame: WebFrameMain | null) => boolean): () => void {
  for (const method of API_METHODS) {
    ipcMain.handle(channelOf(method), async (event, ...args: unknown[]) => {
      if (!trusted(event.senderFrame)) return { ok: false, error: new ApiError({ code: 'bad_request', message: 'calls are accepted only from the Loopdeck window' }).toBody() };
      return dispatch(api, method, args);
    });
  }
  const unsubscribe = api.onEvent((event) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
  });
  return () => {
    unsubscribe();
    for (const method of API_METHODS) ipcMain.removeHandler(channelOf(method));
  };
}

/**
 * The control API over Electron IPC: one handler per API method, arguments
 * checked like the WebSocket server's, errors carried back as ApiErrorBody.
 */
import { ipcMain, type WebContents } from 'electron';
import { API_METHODS, type LoopdeckClient } from '../shared/api';
import { dispatch } from './server/apiDispatch';

export const EVENT_CHANNEL = 'loopdeck:event';
export const channelOf = (method: string) => `loopdeck:${method}`;

export function registerApiHandlers(api: LoopdeckClient, target: () => WebContents | null): () => void {
  for (const method of API_METHODS) {
    ipcMain.handle(channelOf(method), async (_event, ...args: unknown[]) => dispatch(api, method, args));
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

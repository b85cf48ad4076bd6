/**
 * The renderer's one way to the API: the preload bridge inside Electron,
 * else the WebSocket of `loopdeck serve`.
 */
import type { LoopdeckClient } from '../../shared/api';
import { createWsClient, type ConnectionStatus } from './wsClient';

declare global {
  interface Window {
    loopdeck?: LoopdeckClient;
  }
}

export interface RendererClient {
  api: LoopdeckClient;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

const TOKEN_KEY = 'loopdeck.token';

/**
 * The serve token: from the address the server printed (then taken out of the
 * address bar, so it is not left in history or screenshots), else from this
 * tab's session storage, which only pages of this exact origin can read.
 */
export function takeServeToken(): string {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl !== null) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const query = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function createClient(): RendererClient {
  if (window.loopdeck)
    return {
      api: window.loopdeck,
      onStatus: (l) => {
        l('open');
        return () => {};
      },
    };
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = createWsClient(`${protocol}//${location.host}/ws`, takeServeToken());
  return { api: ws, onStatus: (l) => ws.onStatus(l) };
}

/**
 * The renderer's one way to the API: the preload bridge inside Electron,
 * else the WebSocket of `loopdeck serve` (token from the page's URL).
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

export function createClient(): RendererClient {
  if (window.loopdeck) return { api: window.loopdeck, onStatus: (l) => (l('open'), () => {}) };
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = createWsClient(`${protocol}//${location.host}/ws?token=${encodeURIComponent(token)}`);
  return { api: ws, onStatus: (l) => ws.onStatus(l) };
}

/**
 * LoopdeckClient over the WebSocket of `loopdeck serve`. Reconnects with
 * backoff; a request pending when the socket closes is rejected, never left
 * hanging.
 */
import { ApiError, apiOverCall, type ApiMethod, type LoopdeckClient, type ServerFrame } from '../../shared/api';
import type { RunEvent } from '../../shared/events';

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface WsClient extends LoopdeckClient {
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  close(): void;
}

export function createWsClient(url: string, WebSocketImpl: typeof WebSocket = WebSocket): WsClient {
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  const eventListeners = new Set<(e: RunEvent) => void>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  let socket: WebSocket | null = null;
  let nextId = 1;
  let backoff = 250;
  let closedForGood = false;
  let opened: Promise<void>;
  let markOpen: () => void = () => {};

  const setStatus = (s: ConnectionStatus) => statusListeners.forEach((l) => l(s));

  const connect = () => {
    opened = new Promise((resolve) => (markOpen = resolve));
    setStatus('connecting');
    const ws = new WebSocketImpl(url);
    socket = ws;
    ws.onopen = () => {
      backoff = 250;
      markOpen();
      setStatus('open');
    };
    ws.onmessage = (message) => {
      const frame = JSON.parse(String(message.data)) as ServerFrame;
      if (frame.kind === 'event') {
        eventListeners.forEach((l) => l(frame.event));
        return;
      }
      const waiter = pending.get(frame.id);
      if (!waiter) return;
      pending.delete(frame.id);
      if (frame.ok) waiter.resolve(frame.result);
      else waiter.reject(new ApiError(frame.error));
    };
    ws.onclose = () => {
      for (const [id, waiter] of pending) {
        waiter.reject(new ApiError({ code: 'internal', message: 'the connection to Loopdeck closed before it answered' }));
        pending.delete(id);
      }
      setStatus('closed');
      if (closedForGood) return;
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 10_000);
    };
  };
  connect();

  const call = async <T>(method: ApiMethod, ...args: unknown[]): Promise<T> => {
    await opened;
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      try {
        socket!.send(JSON.stringify({ id, method, args }));
      } catch (error) {
        pending.delete(id);
        reject(error);
      }
    });
  };

  return {
    ...apiOverCall(call),
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    close() {
      closedForGood = true;
      socket?.close();
    },
  };
}

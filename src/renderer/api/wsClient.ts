/**
 * LoopdeckClient over the WebSocket of `loopdeck serve`. The first frame
 * carries the token; calls wait for the server's `ready`. Reconnects with
 * backoff. Every call settles: with the answer, when the socket closes, when
 * the server cannot be reached within connectTimeoutMs, or after callTimeoutMs.
 */
import { ApiError, type ApiCall, type ApiResult, apiOverCall, AUTH_FAILED_CLOSE_CODE, type ClientFrame, type LoopdeckClient, type ServerFrame } from '../../shared/api';
import type { RunEvent } from '../../shared/events';

export type ConnectionStatus = 'connecting' | 'open' | 'closed' | 'unauthorized';

export interface WsClient extends LoopdeckClient {
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  close(): void;
}

export interface WsClientOptions {
  WebSocketImpl?: typeof WebSocket;
  /** How long a call waits for a connection before it fails. */
  connectTimeoutMs?: number;
  /** How long a call waits for its answer. */
  callTimeoutMs?: number;
}

const unreachable = () => new ApiError({ code: 'internal', message: 'cannot reach the Loopdeck server; is "loopdeck serve" still running?' });
const unauthorized = () => new ApiError({ code: 'bad_request', message: 'the server refused this page\'s token: open the address printed by "loopdeck serve"' });

export function createWsClient(url: string, token: string, options: WsClientOptions = {}): WsClient {
  const WebSocketImpl = options.WebSocketImpl ?? WebSocket;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const callTimeoutMs = options.callTimeoutMs ?? 120_000;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void; timer: ReturnType<typeof setTimeout> }>();
  const openWaiters = new Set<{ resolve(): void; reject(e: unknown): void }>();
  const eventListeners = new Set<(e: RunEvent) => void>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  let socket: WebSocket | null = null;
  let status: ConnectionStatus = 'connecting';
  let nextId = 1;
  let backoff = 250;
  let closedForGood = false;

  const setStatus = (s: ConnectionStatus) => {
    status = s;
    for (const l of statusListeners) l(s);
  };
  const settle = (id: number) => {
    const waiter = pending.get(id);
    if (waiter) {
      clearTimeout(waiter.timer);
      pending.delete(id);
    }
    return waiter;
  };

  const onFrame = (frame: ServerFrame) => {
    if (frame.kind === 'ready') {
      backoff = 250;
      setStatus('open');
      for (const w of openWaiters) w.resolve();
      openWaiters.clear();
    } else if (frame.kind === 'event') {
      for (const l of eventListeners) l(frame.event);
    } else {
      const waiter = settle(frame.id);
      if (!waiter) return;
      if (frame.ok) waiter.resolve(frame.result);
      else waiter.reject(new ApiError(frame.error));
    }
  };

  const connect = () => {
    setStatus('connecting');
    const ws = new WebSocketImpl(url);
    socket = ws;
    // A failed connection is followed by close, which handles it.
    ws.onerror = () => {};
    ws.onopen = () => ws.send(JSON.stringify({ kind: 'auth', token } satisfies ClientFrame));
    ws.onmessage = (message) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(message.data)) as ServerFrame;
      } catch {
        return;
      }
      onFrame(frame);
    };
    ws.onclose = (event) => {
      for (const id of [...pending.keys()]) settle(id)!.reject(new ApiError({ code: 'internal', message: 'the connection to Loopdeck closed before it answered' }));
      if (event.code === AUTH_FAILED_CLOSE_CODE) {
        closedForGood = true;
        setStatus('unauthorized');
        for (const w of openWaiters) w.reject(unauthorized());
        openWaiters.clear();
        return;
      }
      setStatus('closed');
      if (closedForGood) return;
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 10_000);
    };
  };
  connect();

  const whenOpen = (): Promise<void> => {
    if (status === 'open') return Promise.resolve();
    if (status === 'unauthorized') return Promise.reject(unauthorized());
    if (closedForGood) return Promise.reject(unreachable());
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        openWaiters.delete(waiter);
        reject(unreachable());
      }, connectTimeoutMs);
      openWaiters.add(waiter);
    });
  };

  const call: ApiCall = async (method, ...args) => {
    await whenOpen();
    const id = nextId++;
    return new Promise<ApiResult<typeof method>>((resolve, reject) => {
      const timer = setTimeout(() => {
        settle(id);
        reject(new ApiError({ code: 'internal', message: `Loopdeck did not answer ${method} within ${Math.round(callTimeoutMs / 1000)} s` }));
      }, callTimeoutMs);
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      try {
        socket!.send(JSON.stringify({ id, method, args } satisfies ClientFrame));
      } catch (error) {
        settle(id);
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
      listener(status);
      return () => statusListeners.delete(listener);
    },
    close() {
      closedForGood = true;
      socket?.close();
    },
  };
}

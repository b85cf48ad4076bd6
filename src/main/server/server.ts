/**
 * `loopdeck serve`: HTTP for the built renderer and a WebSocket at /ws for the
 * control API and the run events. Loopback by default; the WebSocket's first
 * frame must carry the token. Nothing a client sends can end the process:
 * every handler answers or closes only the connection at fault, and every
 * resource a client can grow (connections, requests in flight, buffered
 * replies, error texts) is capped.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, AUTH_FAILED_CLOSE_CODE, type ApiErrorBody, type LoopdeckClient, type ServerFrame } from '../../shared/api';
import { findPackageRoot } from '../../node/loopdeckBuild';
import { dispatch } from '../api/dispatch';
import { hostAllowed, newToken, originAllowed, sameToken } from './auth';
import { serveStatic } from './staticFiles';
import { errorForWebClient } from './webErrors';

export interface ServerOptions {
  api: LoopdeckClient;
  host?: string;
  port?: number;
  token?: string;
  rendererDir?: string;
  log?: (message: string) => void;
  /** Absolute paths to name by a label in error replies, e.g. the runs folder. */
  namedPaths?: { path: string; label: string }[];
  limits?: Partial<ServerLimits>;
}

export interface ServerLimits {
  /** Largest request frame accepted (a config is a few KB). */
  maxFrameBytes: number;
  /** WebSocket connections at once, authenticated or not. */
  maxConnections: number;
  /** Requests a socket may have unanswered at once. */
  maxInFlight: number;
  /** Bytes queued to a socket that does not read before it is dropped. */
  maxBufferedBytes: number;
  /** Time a new socket has to send its auth frame. */
  authTimeoutMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxFrameBytes: 1024 * 1024,
  maxConnections: 64,
  maxInFlight: 32,
  maxBufferedBytes: 16 * 1024 * 1024,
  authTimeoutMs: 10_000,
};

export interface RunningServer {
  url: string;
  token: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

function describe(request: IncomingMessage): string {
  const url = (request.url ?? '').replace(/token=[^&]*/, 'token=***').slice(0, 200);
  return `${request.socket.remoteAddress ?? '?'} ${String(request.method).slice(0, 16)} ${url}`;
}

/** The path part of a request target, or null when it is not a path we could serve. */
function requestPath(request: IncomingMessage): string | null {
  const target = request.url ?? '/';
  if (!target.startsWith('/')) return null;
  try {
    return new URL(target, 'http://localhost').pathname;
  } catch {
    return null;
  }
}

function plain(response: ServerResponse, status: number, text: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end(text);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const rendererDir = options.rendererDir ?? join(findPackageRoot(), 'out', 'renderer');
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const named = [{ path: rendererDir, label: 'the renderer folder' }, ...(options.namedPaths ?? [])];
  const webError = (body: ApiErrorBody) => errorForWebClient(body, named);
  let bound = { host, port: options.port ?? 0 };

  // The page and its assets are the built renderer: public code, no data. Only the API needs the token.
  const http = createServer((request, response) => {
    try {
      if (!hostAllowed(request, bound)) {
        log(`refused (Host ${JSON.stringify(request.headers.host)?.slice(0, 100)} is not this server): ${describe(request)}`);
        return plain(response, 421, 'Loopdeck: open the address printed by "loopdeck serve".');
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      const path = requestPath(request);
      if (path === null) return plain(response, 400, 'bad request target');
      serveStatic(rendererDir, path, response).catch((error) => {
        log(`error serving ${path.slice(0, 200)}: ${(error as Error).message}`);
        plain(response, 500, 'internal error');
      });
    } catch (error) {
      log(`error answering ${describe(request)}: ${(error as Error).message}`);
      plain(response, 500, 'internal error');
    }
  });
  http.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
    log(`bad HTTP request from ${(socket as Socket).remoteAddress ?? '?'}: ${(error as Error).message.slice(0, 200)}`);
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
  const authenticated = new Set<WebSocket>();

  http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refuse = (status: string, why: string) => {
      log(`refused WebSocket (${why}): ${describe(request)}`);
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    };
    try {
      if (requestPath(request) !== '/ws') return refuse('404 Not Found', 'unknown path');
      if (!hostAllowed(request, bound)) return refuse('421 Misdirected Request', `Host ${JSON.stringify(request.headers.host)?.slice(0, 100)} is not this server`);
      if (!originAllowed(request)) return refuse('403 Forbidden', `origin ${String(request.headers.origin).slice(0, 100)} is not this server`);
      if (sockets.clients.size >= limits.maxConnections) return refuse('503 Service Unavailable', `already ${limits.maxConnections} connections`);
      sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
    } catch (error) {
      refuse('500 Internal Server Error', (error as Error).message);
    }
  });

  const send = (ws: WebSocket, frame: ServerFrame) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > limits.maxBufferedBytes) {
      log(`dropped a WebSocket that does not read (${ws.bufferedAmount} bytes waiting)`);
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(frame));
  };
  const reject = (ws: WebSocket, id: number, error: ApiErrorBody) => send(ws, { kind: 'response', id, ok: false, error: webError(error) });

  sockets.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    let inFlight = 0;
    ws.on('error', (error) => {
      log(`WebSocket error, closing it (${error.message.slice(0, 200)}): ${describe(request)}`);
      ws.terminate();
    });
    ws.on('close', () => authenticated.delete(ws));
    const authTimer = setTimeout(() => {
      if (authenticated.has(ws)) return;
      log(`refused WebSocket (no auth frame within ${limits.authTimeoutMs} ms): ${describe(request)}`);
      ws.close(AUTH_FAILED_CLOSE_CODE, 'auth frame expected');
    }, limits.authTimeoutMs);
    authTimer.unref();

    ws.on('message', (data, isBinary) => {
      let frame: unknown;
      try {
        if (isBinary) throw new Error('binary frame');
        frame = JSON.parse(data.toString());
      } catch {
        if (!authenticated.has(ws)) return ws.close(AUTH_FAILED_CLOSE_CODE, 'auth frame expected');
        return reject(ws, -1, { code: 'bad_request', message: 'a request frame must be a JSON text frame: {"id", "method", "args"}' });
      }
      const f = (frame && typeof frame === 'object' ? frame : {}) as Record<string, unknown>;
      if (!authenticated.has(ws)) {
        clearTimeout(authTimer);
        if (f.kind !== 'auth' || !sameToken(f.token, token)) {
          log(`refused WebSocket (bad or missing token): ${describe(request)}`);
          return ws.close(AUTH_FAILED_CLOSE_CODE, 'bad or missing token');
        }
        authenticated.add(ws);
        return send(ws, { kind: 'ready' });
      }
      const id = typeof f.id === 'number' && Number.isSafeInteger(f.id) ? f.id : -1;
      if (inFlight >= limits.maxInFlight) return reject(ws, id, { code: 'conflict', message: `too many requests in flight on this connection (at most ${limits.maxInFlight}); wait for answers` });
      inFlight++;
      dispatch(options.api, f.method, f.args ?? [])
        .then((reply) => send(ws, reply.ok ? { kind: 'response', id, ok: true, result: reply.result } : { kind: 'response', id, ok: false, error: webError(reply.error) }))
        .catch((error) => reject(ws, id, ApiError.fromUnknown(error).toBody()))
        .finally(() => inFlight--);
    });
  });

  const unsubscribe = options.api.onEvent((event) => {
    const frame: ServerFrame = { kind: 'event', event };
    for (const ws of authenticated) send(ws, frame);
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  http.maxConnections = limits.maxConnections * 2;
  const address = http.address() as AddressInfo;
  bound = { host, port: address.port };
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}/?token=${token}`,
    token,
    host: address.address,
    port: address.port,
    close: async () => {
      unsubscribe();
      for (const ws of sockets.clients) ws.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      http.closeAllConnections?.();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

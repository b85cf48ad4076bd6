/**
 * `loopdeck serve`: HTTP for the built renderer and a WebSocket at /ws for the
 * control API and the run events. Loopback by default; a token on every
 * connection.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientFrame, LoopdeckClient, ServerFrame } from '../../shared/api';
import { findPackageRoot } from '../orchestrator/engineCommands';
import { dispatch } from './apiDispatch';
import { checkToken, newToken, originAllowed, TOKEN_COOKIE } from './auth';
import { serveStatic } from './staticFiles';

export interface ServerOptions {
  api: LoopdeckClient;
  host?: string;
  port?: number;
  token?: string;
  rendererDir?: string;
  log?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  token: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

/** Largest request frame accepted (a config is a few KB). */
const MAX_FRAME_BYTES = 1024 * 1024;

function describe(request: IncomingMessage): string {
  return `${request.socket.remoteAddress ?? '?'} ${request.method} ${(request.url ?? '').replace(/token=[^&]*/, 'token=***')}`;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const rendererDir = options.rendererDir ?? join(findPackageRoot(), 'out', 'renderer');
  const log = options.log ?? ((m: string) => process.stderr.write(m + '\n'));

  const http = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const auth = checkToken(request, url, token);
    if (!auth.ok) {
      log(`refused (bad or missing token): ${describe(request)}`);
      response.writeHead(401, { 'content-type': 'text/plain' }).end('Loopdeck: open the URL printed by "loopdeck serve", with its token.');
      return;
    }
    const cookie = auth.fromQuery ? { 'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/` } : undefined;
    serveStatic(rendererDir, url.pathname, response, cookie).catch((error) => {
      log(`error serving ${url.pathname}: ${(error as Error).message}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  http.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const refuse = (status: string, why: string) => {
      log(`refused WebSocket (${why}): ${describe(request)}`);
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    };
    if (url.pathname !== '/ws') return refuse('404 Not Found', 'unknown path');
    if (!checkToken(request, url, token).ok) return refuse('401 Unauthorized', 'bad or missing token');
    if (!originAllowed(request)) return refuse('403 Forbidden', `origin ${request.headers.origin} is not this server`);
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });

  const send = (ws: WebSocket, frame: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  sockets.on('connection', (ws: WebSocket) => {
    ws.on('message', async (data) => {
      let frame: Partial<ClientFrame>;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        send(ws, { kind: 'response', id: -1, ok: false, error: { code: 'bad_request', message: 'a request frame must be JSON: {"id", "method", "args"}' } });
        return;
      }
      const id = typeof frame.id === 'number' ? frame.id : -1;
      const reply = await dispatch(options.api, frame.method, frame.args ?? []);
      send(ws, reply.ok ? { kind: 'response', id, ok: true, result: reply.result } : { kind: 'response', id, ok: false, error: reply.error });
    });
  });
  const unsubscribe = options.api.onEvent((event) => {
    const text = JSON.stringify({ kind: 'event', event } satisfies ServerFrame);
    for (const ws of sockets.clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  const address = http.address() as AddressInfo;
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
      await new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections?.();
    },
  };
}

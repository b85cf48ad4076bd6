import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LoopdeckClient } from '../../../src/shared/api';
import { startServer, type RunningServer } from '../../../src/main/server/server';
import { createWsClient, type ConnectionStatus, type WsClient } from '../../../src/renderer/api/wsClient';

const never = new Promise<never>(() => {});
const api = {
  listRuns: async () => [],
  getRun: () => never,
  onEvent: () => () => {},
} as unknown as LoopdeckClient;

let server: RunningServer | null = null;
let client: WsClient | null = null;
afterEach(async () => {
  client?.close();
  await server?.close();
  server = client = null;
});

const Impl = WebSocket as unknown as typeof globalThis.WebSocket;
const wsUrl = (s: RunningServer) => `ws://127.0.0.1:${s.port}/ws`;

it('authenticates with its first frame and answers calls', async () => {
  server = await startServer({ api, port: 0, rendererDir: '/nonexistent', log: () => {} });
  client = createWsClient(wsUrl(server), server.token, { WebSocketImpl: Impl });
  expect(await client.listRuns()).toEqual([]);
});

it('a wrong token ends in "unauthorized" and calls fail at once, without reconnecting', async () => {
  server = await startServer({ api, port: 0, rendererDir: '/nonexistent', log: () => {} });
  client = createWsClient(wsUrl(server), 'wrong', { WebSocketImpl: Impl });
  const statuses: ConnectionStatus[] = [];
  client.onStatus((s) => statuses.push(s));
  await expect(client.listRuns()).rejects.toThrow(/refused this page's token/);
  expect(statuses.at(-1)).toBe('unauthorized');
  await expect(client.listRuns()).rejects.toThrow(/refused this page's token/);
});

it('a call fails with a clear error when no server answers, instead of waiting forever', async () => {
  client = createWsClient('ws://127.0.0.1:9/ws', 'any', { WebSocketImpl: Impl, connectTimeoutMs: 300 });
  await expect(client.listRuns()).rejects.toThrow(/cannot reach the Loopdeck server/);
});

it('a call that gets no answer times out; a closed connection rejects what is pending', async () => {
  server = await startServer({ api, port: 0, rendererDir: '/nonexistent', log: () => {} });
  client = createWsClient(wsUrl(server), server.token, { WebSocketImpl: Impl, callTimeoutMs: 300 });
  await expect(client.getRun('x')).rejects.toThrow(/did not answer getRun within/);
  const pending = expect(client.getRun('y')).rejects.toThrow(/closed before it answered/);
  await server.close();
  server = null;
  await pending;
});

/**
 * Hostile input against the real `loopdeck serve` while it drives a run: the
 * process must answer every bad request (or close only that connection), keep
 * the run going, and still serve a well-behaved client afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FAKE_ENGINE, tempDir } from '../orchestrator/helpers';
import { rawRequest } from './rawRequest';

const CLI = resolve(__dirname, '../../../bin/loopdeck.js');

let child: ChildProcess;
let port: number;
let token: string;
let stderr = '';
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const temp = await tempDir();
  cleanup = temp.cleanup;
  child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--runs-dir', temp.dir, '--allow-commands'], {
    env: { ...process.env, FAKE_ENGINE: JSON.stringify({ delayMs: 40 }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d) => (stderr += d));
  const first = await new Promise<string>((ok) => createInterface({ input: child.stdout! }).once('line', ok));
  const match = /:(\d+)\/\?token=([0-9a-f]+)$/.exec(first)!;
  port = Number(match[1]);
  token = match[2]!;
});

afterAll(async () => {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  await cleanup();
});

function socket(headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
  return new Promise((ok, fail) => {
    ws.once('open', () => ok(ws));
    ws.once('error', fail);
  });
}

async function client(): Promise<{ ws: WebSocket; call(method: string, ...args: unknown[]): Promise<any> }> {
  const ws = await socket();
  let id = 0;
  const frames: any[] = [];
  const waiting = new Map<number, (f: any) => void>();
  ws.on('message', (d) => {
    const frame = JSON.parse(d.toString());
    frames.push(frame);
    if (frame.kind === 'response') waiting.get(frame.id)?.(frame);
  });
  ws.send(JSON.stringify({ kind: 'auth', token }));
  await new Promise<void>((ok) => {
    const check = setInterval(() => {
      if (!frames.some((f) => f.kind === 'ready')) return;
      clearInterval(check);
      ok();
    }, 5);
  });
  return {
    ws,
    call: (method, ...args) =>
      new Promise((ok) => {
        const n = ++id;
        waiting.set(n, ok);
        ws.send(JSON.stringify({ id: n, method, args }));
      }),
  };
}

/** The response frame with `id` that answers `text` sent raw. */
function sendRaw(ws: WebSocket, text: string, id: number): Promise<any> {
  return new Promise((ok) => {
    const onMessage = (d: WebSocket.RawData) => {
      const frame = JSON.parse(d.toString());
      if (frame.kind === 'response' && frame.id === id) {
        ws.off('message', onMessage);
        ok(frame);
      }
    };
    ws.on('message', onMessage);
    ws.send(text);
  });
}

const closed = (ws: WebSocket) => new Promise<number>((ok) => ws.once('close', (code) => ok(code)));

async function stillServing(): Promise<void> {
  expect(child.exitCode).toBeNull();
  const { ws, call } = await client();
  const reply = await call('listRuns');
  expect(reply.ok).toBe(true);
  expect(reply.result[0]).toMatchObject({ name: 'target', status: 'running' });
  ws.close();
}

describe('loopdeck serve under hostile input', () => {
  it('starts a run to protect', async () => {
    const { ws, call } = await client();
    const reply = await call('startRun', {
      name: 'target',
      game: 'tictactoe',
      iterations: 50,
      episodesPerIteration: 40,
      stepsPerIteration: 20,
      evalGames: 4,
      actorCommand: FAKE_ENGINE,
      trainerCommand: FAKE_ENGINE,
      arenaCommand: FAKE_ENGINE,
    });
    expect(reply).toMatchObject({ ok: true, result: { name: 'target' } });
    ws.close();
  });

  it('survives request lines and headers that do not parse', async () => {
    const http = (bytes: string | Buffer) => rawRequest(port, bytes);
    expect(await http(`GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toMatch(/^HTTP\/1.1 400/);
    expect(await http(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toMatch(/^HTTP\/1.1 40\d/);
    // A cookie that does not decode counts as missing: the page answers as it does with no cookie (200, or 404 before a build).
    const statusLine = (reply: string) => reply.split('\r\n')[0];
    const withoutCookie = statusLine(await http(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
    expect(withoutCookie).toMatch(/^HTTP\/1.1 (200|404)/);
    expect(statusLine(await http(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: loopdeck_token=%E0%A4%A\r\n\r\n`))).toBe(withoutCookie);
    expect(await http(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`)).toMatch(/^HTTP\/1.1 431/);
    expect(await http(`GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toMatch(/^HTTP\/1.1 400/);
    expect(await http(`BREW / HTCPCP/1.0\r\n\r\n`)).toMatch(/^HTTP\/1.1 400/);
    await http(randomBytes(4096));
    expect(
      await http(
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nCookie: loopdeck_token=%E0%A4%A\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
      ),
    ).toMatch(/^HTTP\/1.1 101/);
    expect(await http(`GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: x\r\n\r\n`)).toMatch(
      /^HTTP\/1.1 404/,
    );
    await stillServing();
  });

  it('closes only the socket at fault: oversized frames, invalid UTF-8, binary, garbage before auth', async () => {
    const authed = async () => (await client()).ws;
    let ws = await authed();
    let code = closed(ws);
    ws.send('x'.repeat(1024 * 1024 + 10));
    expect(await code).toBe(1009);

    ws = await authed();
    code = closed(ws);
    ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await code).toBe(1007);

    ws = await socket();
    code = closed(ws);
    ws.send(randomBytes(64));
    expect(await code).toBe(4401);
    await stillServing();
  });

  it('answers bad frames after auth with a bounded error and no absolute path', async () => {
    const { ws, call } = await client();
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const bad = await sendRaw(ws, deep, -1);
    expect(bad).toMatchObject({ kind: 'response', ok: false, error: { code: 'bad_request' } });
    const deepArgs = await sendRaw(ws, `{"id":77,"method":"getRun","args":[${deep}]}`, 77);
    expect(deepArgs).toMatchObject({ id: 77, ok: false, error: { code: 'bad_request', message: 'getRun(run): the run must be a text (got an array of 1 items that does not serialise)' } });

    const manyKeys = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}${'z'.repeat(500)}`, i]));
    const invalid = await call('startRun', manyKeys);
    expect(invalid.ok).toBe(false);
    expect(invalid.error.errors.length).toBeLessThanOrEqual(20);
    expect(JSON.stringify(invalid).length).toBeLessThan(20_000);

    const missing = await call('getRun', 'nope');
    expect(missing.error.message).toMatch(/no run named "nope"/);
    expect(missing.error.message).not.toMatch(/\/tmp\//);
    ws.close();
    await stillServing();
  });

  it('refuses requests past the in-flight cap instead of queueing without bound', async () => {
    const { ws } = await client();
    const replies: any[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
    for (let i = 1; i <= 200; i++) ws.send(JSON.stringify({ id: i, method: 'getRun', args: ['target'] }));
    await new Promise<void>((ok) => {
      const check = setInterval(() => {
        if (replies.filter((r) => r.kind === 'response').length < 200) return;
        clearInterval(check);
        ok();
      }, 10);
    });
    const refused = replies.filter((r) => r.kind === 'response' && !r.ok && /too many requests in flight/.test(r.error.message));
    expect(refused.length).toBeGreaterThan(0);
    ws.close();
    await stillServing();
    expect(stderr).not.toMatch(/uncaught|unhandled/);
  });
});

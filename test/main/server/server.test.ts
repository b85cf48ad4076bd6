import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiError, type LoopdeckClient } from '../../../src/shared/api';
import type { RunEvent } from '../../../src/shared/events';
import { resolveStaticPath } from '../../../src/main/server/staticFiles';
import { CONTENT_SECURITY_POLICY } from '../../../src/shared/csp';
import { rawRequest } from './rawRequest';
import { startServer, type RunningServer } from '../../../src/main/server/server';

function fakeApi() {
  const listeners = new Set<(e: RunEvent) => void>();
  const calls: unknown[][] = [];
  const api = {
    listRuns: async () => [],
    getRun: async (name: string) => {
      throw new ApiError({ code: 'not_found', message: `no run named "${name}"` });
    },
    promote: async (name: string, iteration: number, seenBest: number | null) => {
      calls.push(['promote', name, iteration, seenBest]);
      return { iteration } as never;
    },
    onEvent: (l: (e: RunEvent) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as LoopdeckClient;
  return {
    api,
    calls,
    push: (e: RunEvent) => {
      for (const l of listeners) l(e);
    },
  };
}

let dir: string;
let server: RunningServer;
let fake: ReturnType<typeof fakeApi>;
const logs: string[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loopdeck-server-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<html>page</html>');
  await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
  fake = fakeApi();
  logs.length = 0;
  server = await startServer({ api: fake.api, port: 0, rendererDir: dir, log: (m) => logs.push(m) });
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function open(origin?: string, host?: string): Promise<WebSocket> {
  const headers: Record<string, string> = host ? { host } : {};
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { headers, ...(origin ? { origin } : {}) });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Opens a socket and authenticates with `token`; resolves once the server says ready. */
async function connect(token: string | null, origin?: string): Promise<WebSocket> {
  const ws = await open(origin);
  return new Promise((resolve, reject) => {
    ws.once('message', (data) => (JSON.parse(data.toString()).kind === 'ready' ? resolve(ws) : reject(new Error(data.toString()))));
    ws.once('close', (code, reason) => reject(new Error(`closed ${code} ${reason}`)));
    ws.send(JSON.stringify(token === null ? { kind: 'hello' } : { kind: 'auth', token }));
  });
}

function request(ws: WebSocket, id: number, method: string, args: unknown[]): Promise<any> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString());
      if (frame.kind === 'response' && frame.id === id) {
        ws.off('message', onMessage);
        resolve(frame);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, args }));
  });
}

describe('loopdeck serve', () => {
  it('binds to loopback and prints a URL with a long random token', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
  });

  it('refuses the socket without the right token in its first frame, and logs it without the token', async () => {
    await expect(connect(null)).rejects.toThrow(/closed 4401/);
    await expect(connect('nope')).rejects.toThrow(/closed 4401/);
    await expect(connect(server.token, 'http://evil.example')).rejects.toThrow(/403/);
    expect(logs.filter((l) => l.startsWith('refused')).length).toBe(3);
    expect(logs.join('\n')).not.toContain(server.token);
    // A token in the address is not a way in: only the auth frame is.
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    await new Promise((r) => ws.once('open', r));
    const pushed: string[] = [];
    ws.on('message', (d) => pushed.push(d.toString()));
    ws.send(JSON.stringify({ id: 1, method: 'listRuns', args: [] }));
    const code = await new Promise((r) => ws.once('close', r));
    expect(code).toBe(4401);
    expect(pushed).toEqual([]);
  });

  it('serves the page and its assets with a CSP and no cookie', async () => {
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('set-cookie')).toBeNull();
    const asset = await fetch(`http://127.0.0.1:${server.port}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it('answers only to its own loopback names (DNS rebinding)', async () => {
    const port = server.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
      expect((await rawRequest(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)).split(' ')[1]).toBe('200');
    for (const host of [`evil.example:${port}`, `127.0.0.1:${port + 1}`, 'localhost'])
      expect((await rawRequest(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)).split(' ')[1]).toBe('421');
    await expect(open(undefined, `evil.example:${port}`)).rejects.toThrow(/421/);
  });

  it('goes on serving after a file fails to read mid-response', async () => {
    // /proc/self/mem stats as a regular file but reading it fails (EIO) once the headers are out.
    await symlink('/proc/self/mem', join(dir, 'assets', 'unreadable.js'));
    const broken = await fetch(`http://127.0.0.1:${server.port}/assets/unreadable.js`)
      .then((r) => r.text())
      .catch((e: Error) => e);
    expect(broken).not.toBe('console.log(1)');
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<html>page</html>');
  });

  it('never serves a file outside the renderer folder', () => {
    expect(resolveStaticPath('/srv/app', '/../../etc/passwd')).toBe('/srv/app/etc/passwd');
    expect(resolveStaticPath('/srv/app', '/%2e%2e/%2e%2e/etc/passwd')).toBe('/srv/app/etc/passwd');
    expect(resolveStaticPath('/srv/app', '/a\0b')).toBeNull();
  });

  it('answers every request once: results, errors, unknown methods and bad arguments', async () => {
    const ws = await connect(server.token);
    expect(await request(ws, 1, 'listRuns', [])).toEqual({ kind: 'response', id: 1, ok: true, result: [] });
    expect(await request(ws, 2, 'getRun', ['x'])).toMatchObject({ ok: false, error: { code: 'not_found', message: 'no run named "x"' } });
    expect(await request(ws, 3, 'deleteEverything', [])).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/unknown method/) } });
    expect(await request(ws, 4, 'promote', ['run', 'two', 1])).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: 'promote(run, iteration, seen best): the iteration must be a number (got "two")' },
    });
    expect(await request(ws, 5, 'promote', ['run', 2, null])).toMatchObject({ ok: true });
    expect(fake.calls).toEqual([['promote', 'run', 2, null]]);
    ws.close();
  });

  it('pushes run events to every connected client', async () => {
    const a = await connect(server.token);
    const b = await connect(server.token);
    const received = (ws: WebSocket) => new Promise<any>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
    const both = Promise.all([received(a), received(b)]);
    const event = { type: 'run.state', run: 'r', time: 't', status: 'running', iteration: 1 } as RunEvent;
    fake.push(event);
    expect(await both).toEqual([
      { kind: 'event', event },
      { kind: 'event', event },
    ]);
    a.close();
    b.close();
  });
});

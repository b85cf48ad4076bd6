/** Serves the built renderer: known content types, no path outside the folder, index.html for the page. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** The file for a URL path, or null when it would leave the folder. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const target = resolve(base, `.${normalize(`/${decoded}`)}`);
  if (target !== base && !target.startsWith(base + sep)) return null;
  return target === base ? join(base, 'index.html') : target;
}

export async function serveStatic(root: string, urlPath: string, response: ServerResponse): Promise<void> {
  let path = resolveStaticPath(root, urlPath);
  if (!path) {
    response.writeHead(400, { 'content-type': 'text/plain' }).end('bad path');
    return;
  }
  let info = await stat(path).catch(() => null);
  // The page's own routes (no file extension) get the page.
  if ((!info || info.isDirectory()) && !extname(path)) {
    path = join(resolve(root), 'index.html');
    info = await stat(path).catch(() => null);
  }
  if (!info?.isFile()) {
    const missingPage = path.endsWith('index.html');
    response.writeHead(404, { 'content-type': 'text/plain' }).end(missingPage ? 'the renderer is not built (no index.html): run "npm run build"' : 'not found');
    return;
  }
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': info.size,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': path.endsWith('index.html') ? 'no-store' : 'public, max-age=3600',
  });
  // A file that fails to read after its headers went out (removed, an I/O error) ends that response, never the server.
  await pipeline(createReadStream(path), response).catch(() => response.destroy());
}

/** The serve token: random per start, required on every HTTP request and WebSocket connection. */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'loopdeck_token';

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(request: IncomingMessage): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === TOKEN_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}

/** The token a request carries (query parameter, else cookie), and whether it is the right one. */
export function checkToken(request: IncomingMessage, url: URL, expected: string): { ok: boolean; fromQuery: boolean } {
  const query = url.searchParams.get('token');
  if (query !== null) return { ok: sameToken(query, expected), fromQuery: true };
  const cookie = cookieToken(request);
  return { ok: cookie !== null && sameToken(cookie, expected), fromQuery: false };
}

/** A WebSocket must come from our own page (or a non-browser client that sends no Origin). */
export function originAllowed(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/**
 * Who may talk to `loopdeck serve`. The token is random per start and travels
 * only in the page's own address (once) and in the WebSocket's first frame,
 * never in a cookie (cookies ignore ports, so any loopback page could plant or
 * receive one). Host and Origin checks keep other sites out (DNS rebinding,
 * cross-site WebSockets).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

export function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}

/**
 * On a loopback bind, the Host header must name loopback and our port: a page
 * from a rebound DNS name (evil.example -> 127.0.0.1) carries its own name.
 * A server bound elsewhere was exposed on purpose (`--host`) and takes any Host.
 */
export function hostAllowed(request: IncomingMessage, bind: { host: string; port: number }): boolean {
  if (!isLoopback(bind.host)) return true;
  const host = request.headers.host;
  return typeof host === 'string' && LOOPBACK_NAMES.some((name) => host === `${name}:${bind.port}`);
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

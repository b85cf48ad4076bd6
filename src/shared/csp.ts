/**
 * The renderer's Content-Security-Policy, declared once: sent as a header by
 * `loopdeck serve` and by the Electron session, and written into the page's
 * meta tag at build time. `connect-src 'self'` lets the page reach only the
 * server it came from (its WebSocket included).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Directives a meta tag cannot carry (browsers ignore them there, with a warning). */
const HEADER_ONLY = ['frame-ancestors', 'report-uri', 'sandbox'];

/** The policy of the page's meta tag: the header's, less what only a header can say. */
export function metaContentSecurityPolicy(policy: string = CONTENT_SECURITY_POLICY): string {
  return policy
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d && !HEADER_ONLY.includes(d.split(/\s+/)[0]!))
    .join('; ');
}

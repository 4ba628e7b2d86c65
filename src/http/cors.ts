/**
 * CORS for browser clients on other origins, by an allow-list of exact
 * origins (`TASHIL_CORS_ORIGINS`). Tokens travel in the Authorization header,
 * never in cookies, so the server never allows credentials: a page on another
 * origin can only act with a token it was given, and never `*`.
 */

/** What a browser may send cross-origin: the token, JSON bodies, Apollo's CSRF header and a request id to trace. */
export const CORS_ALLOWED_METHODS = 'GET, POST';
export const CORS_ALLOWED_HEADERS = 'authorization, content-type, apollo-require-preflight, x-request-id';
/** Response headers a page may read besides the safelisted ones: the id to report, when to retry, why a token failed. */
export const CORS_EXPOSED_HEADERS = 'x-request-id, retry-after, www-authenticate';
/** Browsers cache a preflight this long (Chromium caps it at 2 hours anyway). */
export const CORS_MAX_AGE_SECONDS = 7200;

export type Headers = Record<string, string>;

/** Whether the request is a CORS preflight rather than a plain OPTIONS. */
export const isPreflight = (method: string | undefined, origin: string | undefined, requestMethod: string | undefined): boolean =>
  method === 'OPTIONS' && origin !== undefined && requestMethod !== undefined;

/**
 * Headers for an actual (non-preflight) response. With no allow-list there
 * are none at all (same origin only); with one, every response varies by
 * Origin, so a cache never hands one origin's answer to another.
 */
export const corsHeaders = (allowed: readonly string[], origin: string | undefined): Headers => {
  if (allowed.length === 0) return {};
  if (origin === undefined || !allowed.includes(origin)) return { vary: 'Origin' };
  return { vary: 'Origin', 'access-control-allow-origin': origin, 'access-control-expose-headers': CORS_EXPOSED_HEADERS };
};

/** Headers for a preflight: the allow-list's answer, or nothing for an origin not on it (the browser then refuses). */
export const preflightHeaders = (allowed: readonly string[], origin: string | undefined): Headers => {
  if (allowed.length === 0) return {};
  const vary = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
  if (origin === undefined || !allowed.includes(origin)) return { vary };
  return {
    vary,
    'access-control-allow-origin': origin,
    'access-control-allow-methods': CORS_ALLOWED_METHODS,
    'access-control-allow-headers': CORS_ALLOWED_HEADERS,
    'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
  };
};

/**
 * One origin of `TASHIL_CORS_ORIGINS`, as browsers serialise it in the Origin
 * header (lower-case host, no default port, no path); the reason it is refused otherwise.
 */
export const parseCorsOrigin = (entry: string): { origin: string } | { error: string } => {
  if (entry === '*') return { error: '"*" is not allowed: list the exact origins of your web clients' };
  if (entry === 'null') return { error: '"null" (sandboxed pages, files) is not an origin that can be trusted' };
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return { error: `"${entry}" is not an origin like https://app.example.ir` };
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
    return { error: `"${entry}" is not an origin like https://app.example.ir (scheme, host and port only)` };
  }
  return { origin: url.origin };
};

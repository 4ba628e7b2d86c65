/**
 * The explorer's token handling and its fetcher, apart from React so that the
 * project's own type check covers them (the .tsx entry is only bundled).
 */
import { Kind, parse } from 'graphql';

/** People paste `Bearer eyJ…`, or the token with the CLI's trailing newline; accept both. */
export const normaliseToken = (raw: string): string => raw.trim().replace(/^Bearer\s+/i, '');

export interface TokenSummary {
  text: string;
  /** Shown as a warning: unreadable or expired. */
  problem: boolean;
}

/**
 * What a pasted token says about its holder, for display only: the server
 * verifies the signature; the page never trusts these claims.
 */
export const describeToken = (token: string, now: Date): TokenSummary | null => {
  if (!token) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return { text: 'this is not a JWT (expected three dot-separated parts)', problem: true };
  try {
    // base64url with UTF-8 inside: subjects may be Persian.
    const bytes = Uint8Array.from(atob(parts[1]!.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as { sub?: unknown; roles?: unknown; exp?: unknown };
    const roles = Array.isArray(claims.roles) ? claims.roles.join(', ') : '';
    const who = `${typeof claims.sub === 'string' ? claims.sub : 'unknown subject'}${roles ? ` (${roles})` : ''}`;
    if (typeof claims.exp !== 'number') return { text: who, problem: false };
    const expiry = new Date(claims.exp * 1000);
    if (expiry <= now) return { text: `${who}: expired at ${expiry.toLocaleString()}, issue a new one`, problem: true };
    return { text: `${who}, until ${expiry.toLocaleString()}`, problem: false };
  } catch {
    return { text: 'this token cannot be read (not a JWT)', problem: true };
  }
};

/**
 * GraphiQL updates a tab's operation name a moment after the text changes, so
 * someone who rewrites the query and presses Ctrl-Enter at once sends the old
 * name and gets "Unknown operation named …". A name the query does not define
 * is dropped: the server then runs the query's only operation, or asks which.
 */
const withCurrentOperationName = <P extends { query: string; operationName?: string | null }>(params: P): P => {
  if (!params.operationName) return params;
  let names: string[];
  try {
    names = parse(params.query).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : []));
  } catch {
    return params; // the server explains the syntax error better
  }
  return names.includes(params.operationName) ? params : { ...params, operationName: null };
};

/** GraphiQL's fetcher contract, the part we use. */
export type Fetcher = (
  params: { query: string; operationName?: string | null; variables?: unknown },
  options?: { headers?: Record<string, unknown> },
) => Promise<unknown>;

/**
 * POSTs JSON to `endpoint`, adding the pasted token unless the headers editor
 * sets its own Authorization. The token is read at each request, so the
 * fetcher (and GraphiQL's schema) stays the same while the user types.
 */
export const createFetcher =
  (endpoint: string, currentToken: () => string): Fetcher =>
  async (params, options) => {
    const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
    for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name.toLowerCase()] = String(value);
    const token = currentToken();
    if (token && headers.authorization === undefined) headers.authorization = `Bearer ${token}`;
    const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(withCurrentOperationName(params)), credentials: 'omit' });
    const text = await response.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // A proxy's error page, say: show it instead of a JSON parse error.
      return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 500)}` }] };
    }
  };

/**
 * The HTTP server: GraphQL at `/graphql` (Apollo's own request handling),
 * plus liveness and readiness. Plain `node:http`, so the request body limit
 * and the routes are ours to see.
 */
import { HeaderMap } from '@apollo/server';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { App } from './app';
import type { Principal } from './auth/principal';
import { TokenError } from './auth/tokens';
import type { Log } from './log';
import { RateLimiter } from './rate-limit';
import { attachSubscriptions } from './subscriptions/server';

/** Larger bodies are refused before they are parsed (413). */
export const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Stop keeping it, but read the rest away so the client gets our 413 instead of a reset.
        req.off('data', onData);
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

const graphqlError = (res: ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void =>
  sendJson(res, status, { errors: [{ message, extensions: { code, ...extra } }] });

/** The verified caller, null without a token; throws TokenError for a bad one. */
const authenticate = async (app: App, req: IncomingMessage): Promise<Principal | null> => {
  const header = req.headers.authorization;
  if (header === undefined || header === '') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new TokenError('the Authorization header must be "Bearer <token>"');
  return app.verifier.verify(match[1]!);
};

/** What the access log says about a request, filled in as it is handled. */
export interface RequestInfo {
  actor: string | null;
  operation: string | null;
}

export const handleGraphQL = async (
  app: App,
  limiter: RateLimiter,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  requestId: string,
  info: RequestInfo = { actor: null, operation: null },
): Promise<void> => {
  let principal: Principal | null;
  try {
    principal = await authenticate(app, req);
    info.actor = principal?.subject ?? null;
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
    return graphqlError(res, 401, 'UNAUTHENTICATED', error.message);
  }
  const rate = limiter.take(principal ? `sub:${principal.subject}` : `addr:${req.socket.remoteAddress ?? 'unknown'}`);
  if (!rate.allowed) {
    res.setHeader('retry-after', String(rate.retryAfterSeconds));
    return graphqlError(res, 429, 'RATE_LIMITED', `too many requests: retry in ${rate.retryAfterSeconds} s`, {
      retryAfterSeconds: rate.retryAfterSeconds,
    });
  }
  let body: unknown = undefined;
  if (req.method === 'POST') {
    let text: string;
    try {
      text = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        res.setHeader('connection', 'close');
        return graphqlError(res, 413, 'BAD_REQUEST', `request body exceeds ${MAX_BODY_BYTES} bytes`);
      }
      throw error;
    }
    const type = req.headers['content-type'] ?? '';
    if (type.includes('json')) {
      try {
        body = text.length === 0 ? {} : JSON.parse(text);
      } catch {
        return graphqlError(res, 400, 'BAD_REQUEST', 'the request body is not valid JSON');
      }
    } else {
      body = text;
    }
  }
  info.operation = operationName(body, url.search);
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await app.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
    context: async () => app.context({ requestId, principal }),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.setHeader('x-request-id', requestId);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
};

/**
 * Ready when the store answers and every projection is live and within
 * `TASHIL_READY_MAX_LAG_EVENTS` of the store's head: a projection that stopped
 * following (failed, or silently stuck) takes the node out of the load balancer.
 */
const readiness = async (app: App, res: ServerResponse): Promise<void> => {
  let storeReachable = true;
  try {
    await app.store.headPosition();
  } catch {
    storeReachable = false;
  }
  const projections = await app.runtime.status().catch(() => []);
  const limit = BigInt(app.config.readyMaxLagEvents);
  // A projection being rebuilt still serves its current tables, so it counts as ready.
  const serving = (p: { state: string; lagEvents: bigint }) => (p.state === 'LIVE' && p.lagEvents <= limit) || p.state === 'REBUILDING';
  const ready = storeReachable && projections.length > 0 && projections.every(serving);
  sendJson(res, ready ? 200 : 503, {
    status: ready ? 'ready' : 'not ready',
    store: app.store.kind,
    storeReachable,
    maxLagEvents: app.config.readyMaxLagEvents,
    projections: projections.map((p) => ({ name: p.name, state: p.state, lagEvents: String(p.lagEvents) })),
  });
};

/** The operation a request names, for logs: never its variables. */
const operationName = (body: unknown, search: string): string | null => {
  const fromBody = typeof body === 'object' && body !== null ? (body as { operationName?: unknown; query?: unknown }) : {};
  if (typeof fromBody.operationName === 'string') return fromBody.operationName.slice(0, 100);
  const query = typeof fromBody.query === 'string' ? fromBody.query : (new URLSearchParams(search).get('query') ?? '');
  const named = /\b(query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query);
  if (named) return named[2]!;
  const field = /^\s*(?:query|mutation|subscription)?\s*(?:\([^)]*\))?\s*\{\s*([_A-Za-z][_0-9A-Za-z]*)/.exec(query);
  return field ? `anonymous:${field[1]}` : null;
};

export interface Listening {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export const listen = async (app: App, log: Log): Promise<Listening> => {
  const limiter = new RateLimiter(app.config.limits.ratePerMinute);
  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const info: RequestInfo = { actor: null, operation: null };
    const routeName = ['/graphql', '/healthz', '/readyz', '/metrics'].includes(url.pathname) ? url.pathname : 'other';
    res.on('finish', () => {
      app.metrics.httpRequests.inc({ route: routeName, status: String(res.statusCode) });
      if (routeName !== '/graphql') return;
      // No variables, no tokens, no personal data beyond the actor's id.
      log('request', {
        requestId,
        actor: info.actor,
        operation: info.operation,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
    const route = async (): Promise<void> => {
      if (url.pathname === '/graphql') return handleGraphQL(app, limiter, req, res, url, requestId, info);
      if (url.pathname === '/healthz' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/readyz' && req.method === 'GET') return readiness(app, res);
      if (url.pathname === '/metrics' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': app.metrics.registry.contentType });
        res.end(await app.metrics.registry.metrics());
        return;
      }
      sendJson(res, 404, { error: 'not found', see: '/graphql' });
    };
    route().catch((error: unknown) => {
      log('request failed', { requestId, error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) graphqlError(res, 500, 'INTERNAL_SERVER_ERROR', 'internal error');
      else res.end();
    });
  });
  // Idle keep-alive connections outlive the clients' own idle timeouts (and a load balancer's),
  // so the server never closes one just as a client reuses it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Subscriptions: graphql-ws on the same port and path.
  const subscriptions = attachSubscriptions(app, server, log, limiter);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(app.config.port, app.config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = app.config.host.includes(':') ? `[${app.config.host}]` : app.config.host;
  return {
    server,
    port,
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/graphql`,
    close: async () => {
      // WebSocket connections first (1001, going away): the server waits for every connection it holds.
      await subscriptions.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
};

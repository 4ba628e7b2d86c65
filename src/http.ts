/**
 * The HTTP server: GraphQL at `/graphql` (Apollo's own request handling),
 * plus liveness and readiness. Plain `node:http`, so the request body limit
 * and the routes are ours to see.
 */
import { HeaderMap } from '@apollo/server';
import { Lexer, Source, TokenKind } from 'graphql';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { App } from './app';
import { Cacheability } from './graphql/cacheability';
import { endAnswer } from './http/compression';
import { corsHeaders, isPreflight, preflightHeaders } from './http/cors';
import { acceptsHtml, JSON_TYPE, negotiateResponseType, unsupportedContentType, type ResponseMediaType } from './http/media';
import { responseCacheKey, ResponseCache, type CachedResponse } from './http/response-cache';
import { hasRole, type Principal } from './auth/principal';
import { TokenError } from './auth/tokens';
import { withRequestId } from './graphql/errors';
import { explorerRoute } from './explorer/serve';
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

/**
 * An error the server answers itself, before GraphQL runs, in the media type
 * the client asked for (`application/graphql-response+json` or `application/json`).
 */
const graphqlError = (
  res: ServerResponse,
  mediaType: ResponseMediaType,
  status: number,
  error: { code: string; message: string } & Record<string, unknown>,
): void => {
  const { code, message, ...extra } = error;
  res.writeHead(status, { 'content-type': `${mediaType}; charset=utf-8` });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, ...extra } }] }));
};

/** 429 with Retry-After. */
const rateLimited = (res: ServerResponse, mediaType: ResponseMediaType, retryAfterSeconds: number): void => {
  res.setHeader('retry-after', String(retryAfterSeconds));
  graphqlError(res, mediaType, 429, {
    code: 'RATE_LIMITED',
    message: `too many requests: retry in ${retryAfterSeconds} s`,
    retryAfterSeconds,
  });
};

/** The rate limit's key for a caller without a (valid) token. */
const addressKey = (req: IncomingMessage): string => `addr:${req.socket.remoteAddress ?? 'unknown'}`;

/** The GraphQL document of a request (POST body or GET `query`), if it has one as text. */
const documentText = (body: unknown, search: string): string | null => {
  if (typeof body === 'object' && body !== null) {
    const query = (body as { query?: unknown }).query;
    return typeof query === 'string' ? query : null;
  }
  return body === undefined ? new URLSearchParams(search).get('query') : null;
};

/**
 * Whether a document has more than `max` lexical tokens, counted as graphql-js's
 * parser counts them (`maxTokens`), stopping at `max + 1`: the work is bounded by
 * the budget, not by the document. A lexing error is left to the parser to report.
 */
export const exceedsTokens = (query: string, max: number): boolean => {
  const lexer = new Lexer(new Source(query));
  try {
    for (let count = 0; lexer.advance().kind !== TokenKind.EOF; ) {
      if (++count > max) return true;
    }
  } catch {
    return false;
  }
  return false;
};

/** Methods /graphql answers; anything else is 405 with this list. */
const GRAPHQL_METHODS = 'GET, POST, OPTIONS';

/** The verified caller and their token, nulls without a token; throws TokenError for a bad one. */
const authenticate = async (app: App, req: IncomingMessage): Promise<{ principal: Principal | null; token: string | null }> => {
  const header = req.headers.authorization;
  if (header === undefined || header === '') return { principal: null, token: null };
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new TokenError('the Authorization header must be "Bearer <token>"');
  return { principal: await app.verifier.verify(match[1]!), token: match[1]! };
};

/** Besides the token: the request headers Apollo's answer depends on (see `RequestShape`), as `app.ts` configures it. */
const ANSWER_HEADERS = ['accept', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name'] as const;

/**
 * Response headers that belong to one request and are never remembered with a
 * response: the server sets its own each time (`x-request-id`, CORS,
 * `connection`), Node the framing. A response that sets a cookie is not remembered at all.
 */
const PER_REQUEST_HEADERS = new Set(['x-request-id', 'set-cookie', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

const headerText = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value.join(', ') : value);

/** What the access log says about a request, filled in as it is handled. */
export interface RequestInfo {
  actor: string | null;
  operation: string | null;
  /** Served from the response cache. */
  cached: boolean;
}

export const handleGraphQL = async (
  app: App,
  limiter: RateLimiter,
  /** Null: no response cache (`TASHIL_RESPONSE_CACHE_MB=0`). */
  cache: ResponseCache | null,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  requestId: string,
  info: RequestInfo = { actor: null, operation: null, cached: false },
): Promise<void> => {
  // CORS first: a preflight carries no token, and a browser reads no answer (not even a 401) without these headers.
  const origin = req.headers.origin;
  if (isPreflight(req.method, origin, req.headers['access-control-request-method'] as string | undefined)) {
    res.writeHead(204, { allow: GRAPHQL_METHODS, ...preflightHeaders(app.config.corsOrigins, origin) });
    res.end();
    return;
  }
  for (const [key, value] of Object.entries(corsHeaders(app.config.corsOrigins, origin))) res.setHeader(key, value);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { allow: GRAPHQL_METHODS });
    res.end();
    return;
  }
  const accept = req.headers.accept;
  const negotiated = negotiateResponseType(accept);
  // Early errors need a type even when the client accepts neither; JSON is what the spec allows then.
  const mediaType = negotiated ?? JSON_TYPE;
  if (req.method !== 'GET' && req.method !== 'POST') {
    res.setHeader('allow', GRAPHQL_METHODS);
    return graphqlError(res, mediaType, 405, { code: 'BAD_REQUEST', message: `${req.method} is not allowed: GraphQL takes POST, or GET for queries` });
  }
  // Refused before it runs, so a mutation never takes effect with an answer the client cannot read.
  // A browser opening /graphql (GET, text/html) is left to the page that answers it.
  if (negotiated === null && !(req.method === 'GET' && acceptsHtml(accept))) {
    return graphqlError(res, mediaType, 406, {
      code: 'BAD_REQUEST',
      message: 'the Accept header allows neither application/graphql-response+json nor application/json',
    });
  }
  let principal: Principal | null;
  let token: string | null;
  try {
    ({ principal, token } = await authenticate(app, req));
    info.actor = principal?.subject ?? null;
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    // A refused token counts against its address, as an anonymous request does: guessing or
    // replaying tokens is no way around the rate limit.
    const rate = limiter.take(addressKey(req));
    if (!rate.allowed) return rateLimited(res, mediaType, rate.retryAfterSeconds);
    res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
    return graphqlError(res, mediaType, 401, { code: 'UNAUTHENTICATED', message: error.message });
  }
  const rate = limiter.take(principal ? `sub:${principal.subject}` : addressKey(req));
  if (!rate.allowed) return rateLimited(res, mediaType, rate.retryAfterSeconds);
  let text: string | null = null;
  if (req.method === 'POST') {
    try {
      text = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        res.setHeader('connection', 'close');
        return graphqlError(res, mediaType, 413, { code: 'BAD_REQUEST', message: `request body exceeds ${MAX_BODY_BYTES} bytes` });
      }
      throw error;
    }
    // Only JSON: the simple types a cross-site form can send (text/plain, forms) never reach GraphQL.
    const unsupported = unsupportedContentType(req.headers['content-type']);
    if (unsupported !== null) {
      return graphqlError(res, mediaType, 415, { code: 'BAD_REQUEST', message: unsupported });
    }
  }
  // Looked up after authentication and the rate limit (a hit counts like any request), before
  // the body is parsed: a remembered request was valid JSON, and a hit need not parse it again.
  const method = req.method;
  const cacheKey =
    cache === null ? null : responseCacheKey({ token, method, headers: ANSWER_HEADERS.map((name) => headerText(req.headers[name])), text: text ?? url.search });
  if (cache !== null && cacheKey !== null) {
    const hit = cache.lookup(cacheKey, app.runtime.readModelsVersion());
    app.metrics.responseCache.inc({ result: hit ? 'hit' : 'miss' });
    app.metrics.responseCacheBytes.set(cache.bytes);
    if (hit) {
      info.operation = hit.operation;
      info.cached = true;
      for (const [key, value] of hit.headers) res.setHeader(key, value);
      res.statusCode = hit.status;
      // Compressed once, by the first hit that asks for it; every later one writes the same bytes.
      const gzipped = await endAnswer(req, res, hit.body, hit.gzipped);
      if (gzipped !== undefined && hit.gzipped === undefined) {
        cache.attachGzipped(cacheKey, hit, gzipped);
        app.metrics.responseCacheBytes.set(cache.bytes);
      }
      return;
    }
  }
  let body: unknown = undefined;
  if (text !== null) {
    try {
      body = text.length === 0 ? {} : JSON.parse(text);
    } catch {
      return graphqlError(res, mediaType, 400, { code: 'BAD_REQUEST', message: 'the request body is not valid JSON' });
    }
  }
  info.operation = operationName(body, url.search);
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  // Taken before execution: a commit while the query runs may show in some of its rows, so its answer is not remembered.
  const version = app.runtime.readModelsVersion();
  const cacheability = cache === null ? undefined : new Cacheability();
  // Without a token, a document is bounded before it is parsed at all: a client that has not
  // signed in cannot make the server parse (and validate) a large one. Signed-in callers are held
  // to TASHIL_MAX_TOKENS by the parser itself (`parseOptions` in app.ts).
  if (principal === null) {
    const budget = app.config.limits.maxTokensAnonymous;
    const query = documentText(body, url.search);
    if (query !== null && exceedsTokens(query, budget)) {
      return graphqlError(res, mediaType, 400, {
        code: 'GRAPHQL_PARSE_FAILED',
        message: `the document has more than ${budget} tokens, the limit without a token (TASHIL_MAX_TOKENS_ANONYMOUS); signed in, up to ${app.config.limits.maxTokens}`,
      });
    }
  }
  const response = await withRequestId(requestId, () =>
    app.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: url.search, body },
      context: async () => app.context({ requestId, principal, ...(cacheability ? { cacheability } : {}) }),
    }),
  );
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    // Read before the answer is compressed (which yields): a commit meanwhile must not make it look current.
    const remember =
      cache !== null &&
      cacheKey !== null &&
      cacheability?.reusable === true &&
      res.statusCode === 200 &&
      !response.headers.has('set-cookie') &&
      version === app.runtime.readModelsVersion();
    const body = Buffer.from(response.body.string, 'utf8');
    const gzipped = await endAnswer(req, res, body);
    if (!remember) return;
    const remembered: CachedResponse = {
      status: res.statusCode,
      headers: [...response.headers].filter(([key]) => !PER_REQUEST_HEADERS.has(key.toLowerCase())),
      body,
      ...(gzipped ? { gzipped } : {}),
      version,
      operation: info.operation,
    };
    if (cache.store(cacheKey, remembered)) app.metrics.responseCache.inc({ result: 'store' });
    app.metrics.responseCacheBytes.set(cache.bytes);
    return;
  }
  // Incremental delivery (@defer/@stream) goes as its parts are ready, uncompressed.
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

/** Prometheus text of the app's registry. */
const sendMetrics = async (app: App, res: ServerResponse): Promise<void> => {
  const text = await app.metrics.registry.metrics();
  res.writeHead(200, { 'content-type': app.metrics.registry.contentType });
  res.end(text);
};

/**
 * On the main port, metrics (request counts by route, projection names, error codes…) are
 * for operators: a token of an ADMIN or OPERATOR. Otherwise 401 or 403, answered here.
 */
const metricsAllowed = async (app: App, limiter: RateLimiter, req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
  let principal: Principal | null;
  try {
    ({ principal } = await authenticate(app, req));
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    const rate = limiter.take(addressKey(req));
    if (!rate.allowed) {
      res.setHeader('retry-after', String(rate.retryAfterSeconds));
      sendJson(res, 429, { error: `too many requests: retry in ${rate.retryAfterSeconds} s` });
      return false;
    }
    principal = null;
  }
  if (principal === null) {
    res.setHeader('www-authenticate', 'Bearer');
    sendJson(res, 401, { error: 'metrics need the token of an ADMIN or OPERATOR (or TASHIL_METRICS_ADDRESS for a listener of their own)' });
    return false;
  }
  if (!hasRole(principal, 'ADMIN', 'OPERATOR')) {
    sendJson(res, 403, { error: 'metrics are for ADMIN and OPERATOR roles' });
    return false;
  }
  return true;
};

/** `/metrics` alone, without a token, on the address TASHIL_METRICS_ADDRESS names (a private network or loopback). */
const listenMetrics = async (app: App, address: { host: string; port: number }, log: Log): Promise<Server> => {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics' || req.method !== 'GET') return sendJson(res, 404, { error: 'not found', see: '/metrics' });
    sendMetrics(app, res).catch((error: unknown) => {
      log('metrics failed', { error: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : null }, 'error');
      if (res.headersSent) res.end();
      else sendJson(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => resolve());
  });
  return server;
};

const urlOf = (server: Server, host: string, path: string): string => {
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown === '0.0.0.0' ? 'localhost' : shown}:${port}${path}`;
};

export interface Listening {
  server: Server;
  url: string;
  port: number;
  /** Where `/metrics` is served without a token (TASHIL_METRICS_ADDRESS); null: on the main port, to ADMIN and OPERATOR. */
  metricsUrl: string | null;
  close(): Promise<void>;
}

export const listen = async (app: App, log: Log): Promise<Listening> => {
  const limiter = new RateLimiter(app.config.limits.ratePerMinute);
  const cache = app.config.responseCacheBytes > 0 ? new ResponseCache(app.config.responseCacheBytes) : null;
  const explorer = explorerRoute(app.config.explorer);
  let closing = false;
  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const info: RequestInfo = { actor: null, operation: null, cached: false };
    // On every answer, early errors included: the id a user reports is the one in the logs.
    res.setHeader('x-request-id', requestId);
    // Stopping: this answer is the connection's last, so the client opens its next one elsewhere.
    if (closing) res.setHeader('connection', 'close');
    const routeName = ['/graphql', '/healthz', '/readyz', '/metrics'].includes(url.pathname) ? url.pathname : 'other';
    res.on('finish', () => {
      app.metrics.httpRequests.inc({ route: routeName, status: String(res.statusCode) });
      if (routeName !== '/graphql') return;
      // No variables, no tokens, no personal data beyond the actor's id.
      log('request', {
        requestId,
        actor: info.actor,
        operation: info.operation,
        cached: info.cached,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
    const route = async (): Promise<void> => {
      if (explorer(req, res, url)) return;
      if (url.pathname === '/graphql') return handleGraphQL(app, limiter, cache, req, res, url, requestId, info);
      if (url.pathname === '/healthz' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/readyz' && req.method === 'GET') return readiness(app, res);
      // With TASHIL_METRICS_ADDRESS, metrics are on their own listener only (see below): here they are not found.
      if (url.pathname === '/metrics' && req.method === 'GET' && app.config.metricsAddress === null) {
        if (await metricsAllowed(app, limiter, req, res)) await sendMetrics(app, res);
        return;
      }
      sendJson(res, 404, { error: 'not found', see: '/graphql' });
    };
    route().catch((error: unknown) => {
      log(
        'request failed',
        { requestId, error: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? (error.stack ?? null) : null },
        'error',
      );
      if (res.headersSent) res.end();
      else graphqlError(res, negotiateResponseType(req.headers.accept) ?? JSON_TYPE, 500, { code: 'INTERNAL_SERVER_ERROR', message: 'internal error' });
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
  let metricsServer: Server | null = null;
  try {
    metricsServer = app.config.metricsAddress === null ? null : await listenMetrics(app, app.config.metricsAddress, log);
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  return {
    server,
    port,
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/graphql`,
    metricsUrl: metricsServer === null ? null : urlOf(metricsServer, app.config.metricsAddress!.host, '/metrics'),
    close: async () => {
      if (metricsServer !== null) {
        const metrics = metricsServer;
        await new Promise<void>((resolve) => {
          metrics.close(() => resolve());
          metrics.closeAllConnections();
        });
      }
      // WebSocket connections first (1001, going away): the server waits for every connection it holds.
      await subscriptions.close();
      closing = true;
      // Requests in flight are finished. Their keep-alive connections turn idle only once
      // answered, after server.close() made its one sweep of idle ones: without further
      // sweeps they would hold the stop until keepAliveTimeout (65 s).
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      clearInterval(sweep);
    },
  };
};

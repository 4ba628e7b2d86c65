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

export const handleGraphQL = async (
  app: App,
  limiter: RateLimiter,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  requestId: string,
): Promise<void> => {
  let principal: Principal | null;
  try {
    principal = await authenticate(app, req);
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

export interface Listening {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export const listen = async (app: App, log: Log): Promise<Listening> => {
  const limiter = new RateLimiter(app.config.limits.ratePerMinute);
  const server = createServer((req, res) => {
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = async (): Promise<void> => {
      if (url.pathname === '/graphql') return handleGraphQL(app, limiter, req, res, url, requestId);
      if (url.pathname === '/healthz' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/readyz' && req.method === 'GET') {
        const projections = await app.runtime.status();
        const ready = projections.every((p) => p.state === 'LIVE');
        return sendJson(res, ready ? 200 : 503, {
          status: ready ? 'ready' : 'not ready',
          store: app.store.kind,
          projections: projections.map((p) => ({ name: p.name, state: p.state, lagEvents: String(p.lagEvents) })),
        });
      }
      sendJson(res, 404, { error: 'not found', see: '/graphql' });
    };
    route().catch((error: unknown) => {
      log('request failed', { requestId, error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) graphqlError(res, 500, 'INTERNAL_SERVER_ERROR', 'internal error');
      else res.end();
    });
  });
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
};

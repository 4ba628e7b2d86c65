/**
 * GraphQL over WebSocket (graphql-ws, the `graphql-transport-ws` protocol) on
 * the HTTP server's own port and path, `/graphql`. Only subscriptions run
 * here; queries and mutations stay on HTTP, where rate limits and request
 * logs apply. A connection signs in once, in its `connection_init` payload
 * (`{ "authorization": "Bearer <token>" }`, the HTTP header's value); every
 * operation is then validated with the same limits and formatted with the
 * same error codes as over HTTP, and `@Authorized` guards each subscription.
 *
 * Close codes: 4401 no, a bad or an expired token; 1013 a subscription fell
 * more than `TASHIL_SUBSCRIPTION_QUEUE_LIMIT` updates behind (reconnect and
 * query the current state); 1001 the server is shutting down.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import type * as GraphqlWsOverWs from 'graphql-ws/dist/use/ws';
import { decodeJwt } from 'jose';
import { getVariableValues } from 'graphql/execution/values';
import { WebSocketServer, type WebSocket } from 'ws';
import type { App } from '../app';
import type { Principal } from '../auth/principal';
import type { TokenIdentity } from '../auth/revocations';
import { TokenError } from '../auth/tokens';
import { formatError } from '../graphql/errors';
import type { SubscriptionContext } from '../graphql/subscription.resolver';
import type { Log } from '../log';
import type { RateLimiter } from '../rate-limit';
import type { LiveConnection } from './live-updates';

// tsconfig resolves modules the node10 way, which ignores package "exports"; Node resolves this subpath itself.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { useServer } = require('graphql-ws/use/ws') as typeof GraphqlWsOverWs;

export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_SLOW_CONSUMER = 1013;
export const CLOSE_UNAUTHORIZED = 4401;

/** Larger messages are refused by the socket itself, as larger HTTP bodies are (1 MiB). */
const MAX_MESSAGE_BYTES = 1024 * 1024;
/** A client that answers no ping within this long is dropped, so dead peers never hold their subscriptions. */
const KEEP_ALIVE_MS = 12_000;
/** How long shutdown waits for clients to acknowledge the close before dropping them. */
const CLOSE_GRACE_MS = 2_000;

interface Connection {
  id: string;
  principal: Principal;
  /** What a revocation is matched against. */
  identity: TokenIdentity;
  live: LiveConnection;
  open: number;
  expiry: NodeJS.Timeout | undefined;
}

type Extra = {
  socket: WebSocket;
  request: IncomingMessage;
};

export interface SubscriptionServer {
  /** Open WebSocket connections. */
  readonly connections: number;
  /** Closes every connection with 1001 (going away) and refuses new ones. */
  close(): Promise<void>;
}

const bearer = (params: Readonly<Record<string, unknown>> | undefined): string | null => {
  const value = params?.authorization ?? params?.Authorization;
  if (typeof value !== 'string') return null;
  return /^Bearer\s+(\S+)$/i.exec(value)?.[1] ?? null;
};

const coded = (error: GraphQLError, code: string): GraphQLError =>
  new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });

const refuse = (message: string, code = 'BAD_REQUEST', extra: Record<string, unknown> = {}): GraphQLError[] => [
  new GraphQLError(message, { extensions: { code, ...extra } }),
];

/**
 * graphql-js runs every event of a subscription with the context it was
 * subscribed with; a context holds per-request state (caches, a request id),
 * which must not outlive one update. This runs each event with a fresh one.
 */
const withContextPerEvent = async (args: ExecutionArgs, contextFor: () => unknown): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> => {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const events = stream[Symbol.asyncIterator]();
  const run = async (step: IteratorResult<unknown>): Promise<IteratorResult<ExecutionResult>> =>
    step.done ? { value: undefined, done: true } : { value: await execute({ ...args, rootValue: step.value, contextValue: contextFor() }), done: false };
  // An object rather than an async generator: `return()` must reach the source at once, not after its next event.
  const results: AsyncGenerator<ExecutionResult> = {
    next: () => events.next().then(run),
    return: async () => {
      await events.return?.();
      return { value: undefined, done: true };
    },
    throw: async (error: unknown) => {
      await events.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return results;
    },
    [Symbol.asyncDispose]: async () => {
      await events.return?.();
    },
  };
  return results;
};

/** `limiter`: the HTTP server's own, so that a subscription counts as one request of its actor. */
export const attachSubscriptions = (app: App, server: Server, log: Log, limiter?: RateLimiter): SubscriptionServer => {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const connections = new WeakMap<WebSocket, Connection>();
  /** Each subscription's first context, to the way to make the next ones. */
  const contexts = new WeakMap<object, () => SubscriptionContext>();
  const format = formatError(log, (code) => app.metrics.graphqlErrors.inc({ code }));
  // Without introspection, no "did you mean …" hints that would map the schema (as over HTTP).
  const formatted = (error: GraphQLError): GraphQLFormattedError => {
    if (error.extensions.code === 'RATE_LIMITED') return { message: error.message, extensions: error.extensions };
    const result = format(error.toJSON(), error);
    return app.config.introspection ? result : { ...result, message: result.message.replace(/ Did you mean .*$/, '') };
  };
  let closing = false;

  // A revoked token ends its connections, as it ends the next HTTP request.
  const stopRevoking = app.revocations.onRevoked((subject) => {
    for (const ws of wss.clients) {
      const connection = connections.get(ws);
      if (connection?.principal.subject !== subject || !app.revocations.isRevoked(connection.identity)) continue;
      log('websocket closed: token revoked', { connection: connection.id, actor: subject });
      ws.close(CLOSE_UNAUTHORIZED, 'Unauthorized: the token was revoked');
    }
  });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname !== '/graphql' || closing) {
      socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    // Every socket holds memory and a file descriptor before it signs in (graphql-ws gives it
    // 3 s): a bound on them all keeps a flood of connections from exhausting the process.
    if (wss.clients.size >= app.config.subscriptions.maxConnections) {
      app.metrics.websocketRefused.inc();
      socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);

  useServer<Record<string, unknown>, Extra>(
    {
      onConnect: async ({ connectionParams, extra }) => {
        const token = bearer(connectionParams);
        const unauthorized = (why: string): false => {
          extra.socket.close(CLOSE_UNAUTHORIZED, `Unauthorized: ${why}`.slice(0, 120));
          return false;
        };
        if (token === null) return unauthorized('send {"authorization":"Bearer <token>"} in connection_init');
        let principal: Principal;
        try {
          principal = await app.verifier.verify(token);
        } catch (error) {
          if (error instanceof TokenError) return unauthorized(error.message);
          throw error;
        }
        const socket = extra.socket;
        const id = randomUUID();
        // The token's expiry ends the connection, as it would end the next HTTP request.
        const claims = decodeJwt(token);
        const exp = claims.exp;
        const left = exp === undefined ? Infinity : exp * 1000 - Date.now();
        const expiry = left < 2 ** 31 - 1 ? setTimeout(() => socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized: the token expired'), Math.max(0, left)) : undefined;
        expiry?.unref();
        const slowConsumer = (): void => {
          log('subscriber too slow; connection closed', { connection: id, actor: principal.subject, queueLimit: app.config.subscriptions.queueLimit });
          socket.close(CLOSE_SLOW_CONSUMER, `Try again later: fell more than ${app.config.subscriptions.queueLimit} updates behind`);
        };
        const identity: TokenIdentity = {
          subject: principal.subject,
          issuedAt: typeof claims.iat === 'number' ? claims.iat : undefined,
          tokenId: typeof claims.jti === 'string' ? claims.jti : undefined,
        };
        connections.set(socket, { id, principal, identity, live: { updates: app.live, slowConsumer }, open: 0, expiry });
        log('websocket connected', { connection: id, actor: principal.subject });
        return true;
      },
      onSubscribe: (ctx, id, payload) => {
        const connection = connections.get(ctx.extra.socket)!;
        if (connection.open >= app.config.subscriptions.maxPerConnection) {
          return refuse(`at most ${app.config.subscriptions.maxPerConnection} subscriptions per connection`);
        }
        const rate = limiter?.take(`sub:${connection.principal.subject}`);
        if (rate && !rate.allowed) {
          return refuse(`too many requests: retry in ${rate.retryAfterSeconds} s`, 'RATE_LIMITED', { retryAfterSeconds: rate.retryAfterSeconds });
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: app.config.limits.maxTokens });
        } catch (error) {
          if (error instanceof GraphQLError) return [coded(error, 'GRAPHQL_PARSE_FAILED')];
          throw error;
        }
        const errors = validate(app.schema, document, [...specifiedRules, ...app.validationRules]);
        if (errors.length > 0) return errors.map((e) => coded(e, 'GRAPHQL_VALIDATION_FAILED'));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return refuse('name the operation to run (operationName)');
        if (operation.operation !== 'subscription') {
          return refuse('only subscriptions run over WebSocket; send queries and mutations to POST /graphql');
        }
        // Bad variables are the caller's input, BAD_USER_INPUT as over HTTP (graphql-js leaves them uncoded).
        const variables = getVariableValues(app.schema, operation.variableDefinitions ?? [], payload.variables ?? {});
        if (variables.errors) return variables.errors.map((e) => coded(e, 'BAD_USER_INPUT'));
        connection.open++;
        const contextFor = (): SubscriptionContext => ({
          ...app.context({ requestId: `${connection.id}/${id}`, principal: connection.principal }),
          live: connection.live,
        });
        const contextValue = contextFor();
        contexts.set(contextValue, contextFor);
        log('subscription started', { connection: connection.id, actor: connection.principal.subject, operation: payload.operationName ?? operation.name?.value ?? null });
        return {
          schema: app.schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue,
        };
      },
      subscribe: (args) => withContextPerEvent(args, contexts.get(args.contextValue as object) ?? (() => args.contextValue)),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => formatted(e)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatted(e)),
      onComplete: (ctx) => {
        const connection = connections.get(ctx.extra.socket);
        if (connection) connection.open = Math.max(0, connection.open - 1);
      },
      onClose: (ctx, code) => {
        const connection = connections.get(ctx.extra.socket);
        if (!connection) return;
        clearTimeout(connection.expiry);
        connections.delete(ctx.extra.socket);
        log('websocket closed', { connection: connection.id, actor: connection.principal.subject, code: code ?? null });
      },
    },
    wss,
    KEEP_ALIVE_MS,
  );

  return {
    get connections() {
      return wss.clients.size;
    },
    close: async () => {
      closing = true;
      stopRevoking();
      await Promise.all(
        [...wss.clients].map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === ws.CLOSED) return resolve();
              ws.once('close', () => resolve());
              ws.close(CLOSE_GOING_AWAY, 'Going away: the server is shutting down');
              // A peer that never answers the close is dropped, so shutdown stays bounded.
              setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
            }),
        ),
      );
      server.off('upgrade', onUpgrade);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
};

/**
 * The explorer's token handling and its fetcher, apart from React so that the
 * project's own type check covers them (the .tsx entry is only bundled).
 * Queries and mutations are POSTed; subscriptions, which the server refuses
 * over HTTP, run over graphql-ws on the same path.
 */
import { getOperationAST, Kind, parse, type ExecutionResult, type OperationTypeNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';

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

interface OperationParams {
  query: string;
  operationName?: string | null;
  variables?: unknown;
}

/** What GraphiQL shows for each result pushed to it. */
export interface Observer {
  next(result: unknown): void;
  error(error: unknown): void;
  complete(): void;
}

/**
 * GraphiQL's Observable: a subscription's results until it is stopped. Its type lets a
 * caller pass an observer or the three callbacks; GraphiQL passes an observer, and both work.
 */
export interface Observable {
  subscribe(
    // Observer['next'], not a function type: a method's parameters compare both ways, as GraphiQL's typed results need.
    observer?: Partial<Observer> | Observer['next'],
    error?: ((error: unknown) => void) | null,
    complete?: (() => void) | null,
  ): { unsubscribe(): void };
}

/** The observer of either call form of `subscribe`, with a no-op for each callback left out. */
const observerOf = (...[first, error, complete]: Parameters<Observable['subscribe']>): Observer => {
  const given: Partial<Observer> = typeof first === 'function' ? { next: first, error: error ?? undefined, complete: complete ?? undefined } : (first ?? {});
  return {
    next: (result) => given.next?.(result),
    error: (e) => given.error?.(e),
    complete: () => given.complete?.(),
  };
};

/**
 * A response as the server sent it. GraphiQL's types call it graphql-js's `ExecutionResult`
 * (whose errors are `GraphQLError` objects); what arrives is JSON with formatted errors, which
 * GraphiQL only displays, so the JSON is declared as that type where it is parsed.
 */
export type FetchedResult = ExecutionResult;

/** GraphiQL's fetcher contract, the part we use. */
export type Fetcher = (params: OperationParams, options?: { headers?: Record<string, unknown> }) => Promise<FetchedResult> | Observable;

/**
 * Which operation the request would run, or null when the query does not say
 * (a syntax error, an ambiguous name): the server explains that best, over HTTP.
 */
export const operationType = (params: OperationParams): OperationTypeNode | null => {
  try {
    return getOperationAST(parse(params.query), params.operationName ?? undefined)?.operation ?? null;
  } catch {
    return null;
  }
};

/** The graphql-ws address for the page's endpoint: the same host and path, ws: or wss: as the page is http: or https:. */
export const socketUrl = (endpoint: string, page: string): string => {
  const url = new URL(endpoint, page);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  return url.href;
};

/** The graphql-ws close codes the server uses (README, "Live updates"). */
const CLOSE_UNAUTHORIZED = 4401;

/**
 * A failed subscription as a GraphQL result, so the result pane shows the
 * server's words and code rather than "[object CloseEvent]".
 */
export const subscriptionFailure = (error: unknown): { errors: { message: string; extensions?: Record<string, unknown> }[] } => {
  // The server refused the operation (validation, FORBIDDEN, RATE_LIMITED...): its errors, as sent.
  if (Array.isArray(error)) return { errors: error as { message: string }[] };
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') {
    const reason = 'reason' in error && typeof error.reason === 'string' && error.reason ? error.reason : '';
    if (error.code === CLOSE_UNAUTHORIZED) {
      return {
        errors: [{ message: `${reason || 'Unauthorized'}: paste a valid token above and run the subscription again`, extensions: { code: 'UNAUTHENTICATED', closeCode: error.code } }],
      };
    }
    return { errors: [{ message: `The subscription's connection closed (${error.code}${reason ? `: ${reason}` : ''})`, extensions: { closeCode: error.code } }] };
  }
  return { errors: [{ message: error instanceof Error ? error.message : 'The subscription\'s connection failed: is the server running?' }] };
};

export interface LiveConnection {
  /**
   * Runs a subscription over a socket (opened on first use, closed when its last one stops).
   * `authorization`: an Authorization header from GraphiQL's headers editor, which wins
   * over the pasted token as it does for HTTP requests; such subscriptions get a socket of
   * their own, signed in with that header.
   */
  subscribe(params: OperationParams, authorization?: string): Observable;
  /**
   * The pasted token changed or was forgotten: an open connection signed in
   * with the old one, so it is replaced at once and running subscriptions
   * continue on the new one (or end UNAUTHENTICATED without a token).
   * Subscriptions signed in by the headers editor are not affected.
   */
  tokenChanged(): void;
}

/** graphql-ws's own back-off for a lost connection: about 1, 2, 4... seconds. */
const backoff = (retries: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, 2 ** retries * 1000 + 300 + Math.floor(Math.random() * 2700)));

interface Socket {
  client: Client;
  active: boolean;
  reconnectAtOnce: boolean;
}

/** A lazy graphql-ws client that signs in with `authorization()` each time it connects. */
const openSocket = (url: string, authorization: () => string | undefined): Socket => {
  const socket: Socket = { client: undefined as unknown as Client, active: false, reconnectAtOnce: false };
  socket.client = createClient({
    url,
    lazy: true,
    connectionParams: () => {
      const value = authorization();
      return value ? { authorization: value } : {};
    },
    // A reconnection for a new token need not wait; one after a lost connection backs off.
    retryWait: async (retries) => {
      if (socket.reconnectAtOnce) {
        socket.reconnectAtOnce = false;
        return;
      }
      await backoff(retries);
    },
    on: {
      connecting: () => {
        socket.active = true;
      },
      connected: () => {
        socket.reconnectAtOnce = false;
      },
      closed: (event) => {
        socket.active = false;
        // A refused sign-in is not retried; the user's next run, with a new token, need not back off.
        if (typeof event === 'object' && event !== null && 'code' in event && event.code === CLOSE_UNAUTHORIZED) socket.reconnectAtOnce = true;
      },
    },
  });
  return socket;
};

/** Most sockets kept for header-given Authorization values; each is idle (closed) unless a subscription runs on it. */
const MAX_HEADER_SOCKETS = 8;

export const createLiveConnection = (url: string, currentToken: () => string): LiveConnection => {
  // The pasted token is read each time the socket signs in, so a reconnection uses the current one.
  const pasted = openSocket(url, () => {
    const token = currentToken();
    return token ? `Bearer ${token}` : undefined;
  });
  const byHeader = new Map<string, Socket>();
  const socketFor = (authorization: string | undefined): Socket => {
    if (authorization === undefined) return pasted;
    let socket = byHeader.get(authorization);
    if (!socket) {
      if (byHeader.size >= MAX_HEADER_SOCKETS) {
        // The oldest one nobody is using goes; a running subscription keeps its socket.
        const idle = [...byHeader].find(([, s]) => !s.active);
        if (idle) {
          byHeader.delete(idle[0]);
          void idle[1].client.dispose();
        }
      }
      socket = openSocket(url, () => authorization);
      byHeader.set(authorization, socket);
    }
    return socket;
  };
  return {
    subscribe: (params, authorization) => ({
      subscribe: (...args) => {
        const observer = observerOf(...args);
        const { query, operationName, variables } = params;
        const payload = { query, ...(operationName ? { operationName } : {}), ...(variables ? { variables: variables as Record<string, unknown> } : {}) };
        const stop = socketFor(authorization).client.subscribe(payload, {
          next: (result) => observer.next(result),
          // Shown in the result pane like any other errors, then the run button is a run button again.
          error: (error) => {
            observer.next(subscriptionFailure(error));
            observer.complete();
          },
          complete: () => observer.complete(),
        });
        return { unsubscribe: stop };
      },
    }),
    tokenChanged: () => {
      if (!pasted.active) return; // the next subscription signs in with the new token anyway
      pasted.reconnectAtOnce = true;
      // graphql-ws treats a terminated socket as lost, not fatal: it reconnects and resubscribes.
      pasted.client.terminate();
    },
  };
};

/** The Authorization header set in GraphiQL's headers editor, whatever its case, if any. */
const authorizationHeader = (headers: Record<string, unknown> | undefined): string | undefined => {
  for (const [name, value] of Object.entries(headers ?? {})) if (name.toLowerCase() === 'authorization') return String(value);
  return undefined;
};

/**
 * POSTs JSON to `endpoint`, adding the pasted token unless the headers editor
 * sets its own Authorization. The token is read at each request, so the
 * fetcher (and GraphiQL's schema) stays the same while the user types.
 * Subscriptions go to `live` instead (HTTP would answer them BAD_REQUEST), with
 * the same rule: the headers editor's Authorization, else the pasted token.
 */
export const createFetcher =
  (endpoint: string, currentToken: () => string, live?: LiveConnection): Fetcher =>
  (params, options) => {
    const current = withCurrentOperationName(params);
    return live && operationType(current) === 'subscription'
      ? live.subscribe(current, authorizationHeader(options?.headers))
      : post(endpoint, currentToken, current, options);
  };

const post = async (endpoint: string, currentToken: () => string, params: OperationParams, options?: { headers?: Record<string, unknown> }): Promise<FetchedResult> => {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name.toLowerCase()] = String(value);
  const token = currentToken();
  if (token && headers.authorization === undefined) headers.authorization = `Bearer ${token}`;
  const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(params), credentials: 'omit' });
  const text = await response.text();
  try {
    return JSON.parse(text) as FetchedResult;
  } catch {
    // A proxy's error page, say: show it instead of a JSON parse error.
    return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 500)}` }] } as unknown as FetchedResult;
  }
};

/**
 * A real app behind the real HTTP server on a loopback port, with real
 * graphql-ws clients: for the subscription tests. Tokens are signed with the
 * app's own development secret.
 */
import { createClient, type Client, type ClientOptions, type ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import type { Role } from '../../src/auth/principal';
import { issueToken, type IssueTokenOptions } from '../../src/auth/tokens';
import { listen, type Listening } from '../../src/http';
import { silentLog } from '../../src/log';
import { startTestApp, type TestApp } from './app';

export interface LiveServer {
  t: TestApp;
  http: Listening;
  wsUrl: string;
  token(options?: Partial<IssueTokenOptions>): Promise<string>;
  /** POST /graphql as ADMIN (or with `token`); throws on errors unless `allowErrors`. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<{ data: T; errors?: any[] }>;
  ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** A graphql-ws client signed in as `role` (default ADMIN); closed by `close()`. */
  client(options?: { role?: Role; token?: string | null; client?: Partial<ClientOptions> }): Client;
  close(): Promise<void>;
}

export const startLiveServer = async (
  options: { env?: Record<string, string>; now?: () => Date; dataDir?: string } = {},
): Promise<LiveServer> => {
  const t = await startTestApp({
    env: { PORT: '0', HOST: '127.0.0.1', ...options.env },
    ...(options.now ? { now: options.now } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  let http = await listen(t.app, silentLog);
  const clients = new Set<Client>();
  const token = (o: Partial<IssueTokenOptions> = {}) => issueToken(t.app.tokens, testTokenOptions({ subject: 'live-admin', roles: ['ADMIN'], ...o }));
  const admin = await token();
  const gql = async (query: string, variables?: Record<string, unknown>, as = admin) => {
    const response = await fetch(http.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${as}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data: any; errors?: any[] };
  };
  const server: LiveServer = {
    t,
    get http() {
      return http;
    },
    set http(value) {
      http = value;
    },
    get wsUrl() {
      return http.url.replace(/^http/, 'ws');
    },
    token,
    gql,
    ok: async (query, variables) => {
      const { data, errors } = await gql(query, variables);
      if (errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(errors, null, 2)}`);
      return data;
    },
    client: ({ role = 'ADMIN', token: given, client: extra = {} } = {}) => {
      const params = async () => {
        const value = given === undefined ? await token({ subject: `live-${role.toLowerCase()}`, roles: [role], province: 'تهران' }) : given;
        return value === null ? {} : { authorization: `Bearer ${value}` };
      };
      const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: params, retryAttempts: 0, lazy: true, ...extra });
      clients.add(client);
      return client;
    },
    close: async () => {
      await Promise.all([...clients].map((c) => c.dispose()));
      await http.close();
      await t.close();
    },
  };
  return server;
};

/** A subscription's results as they arrive, with a way to await the next one. */
export interface Received<T = any> {
  results: ExecutionResult<T>[];
  /** Resolves with the `n`th result (1-based), or rejects with what ended the subscription first. */
  nth(n: number): Promise<ExecutionResult<T>>;
  /** Resolves when the subscription ended: `complete`, or the error (a close event, GraphQL errors) that ended it. */
  ended: Promise<unknown>;
  unsubscribe(): void;
}

export const subscribe = <T = any>(client: Client, query: string, variables?: Record<string, unknown>): Received<T> => {
  const results: ExecutionResult<T>[] = [];
  let waiters: { n: number; resolve: (r: ExecutionResult<T>) => void; reject: (e: unknown) => void }[] = [];
  let end: unknown = undefined;
  let finished = false;
  let resolveEnded!: (value: unknown) => void;
  const ended = new Promise<unknown>((resolve) => (resolveEnded = resolve));
  const settle = () => {
    waiters = waiters.filter((w) => {
      if (results.length >= w.n) w.resolve(results[w.n - 1]!);
      else if (finished) w.reject(new Error(`the subscription ended after ${results.length} results: ${describe(end)}`));
      else return true;
      return false;
    });
  };
  const unsubscribe = client.subscribe<T>(
    { query, ...(variables ? { variables } : {}) },
    {
      next: (result) => {
        results.push(result as ExecutionResult<T>);
        settle();
      },
      error: (error) => {
        end = error;
        finished = true;
        resolveEnded(error);
        settle();
      },
      complete: () => {
        end = 'complete';
        finished = true;
        resolveEnded('complete');
        settle();
      },
    },
  );
  return {
    results,
    ended,
    unsubscribe,
    nth: (n) =>
      new Promise((resolve, reject) => {
        waiters.push({ n, resolve, reject });
        settle();
      }),
  };
};

const describe = (end: unknown): string => {
  if (end && typeof end === 'object' && 'code' in end) return `close ${(end as { code: number }).code} ${(end as { reason?: string }).reason ?? ''}`;
  return JSON.stringify(end);
};

/** Polls `condition` until it holds (every 10 ms, at most `ms`); for state that other processes or sockets change. */
export const eventually = async (condition: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/**
 * A test token as an identity provider would send it: placed roles without a
 * province are national (`national: true`), and an AGENCY token names an
 * agency id (an unregistered one unless given: it acts on and sees nothing).
 */
export const testTokenOptions = (o: Partial<IssueTokenOptions> & { subject: string; roles: Role[] }): IssueTokenOptions => {
  const placed = o.roles.some((r) => !['ADMIN', 'OPERATOR', 'AGENCY'].includes(r));
  return {
    ...o,
    ...(placed && !o.province && o.national === undefined ? { national: true } : {}),
    ...(o.roles.includes('AGENCY') && !o.agencyId ? { agencyId: 'agency-not-registered' } : {}),
  };
};

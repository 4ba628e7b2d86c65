/**
 * The real server as a child process (`node dist/src/main.js`), for end-to-end
 * tests: a free loopback port, a data folder of the test's choosing, its logs
 * kept for diagnostics, and real HTTP through the global `fetch`.
 *
 * Every process started here is remembered until it exits; call
 * `killAllServers()` in `afterEach`/`afterAll` so that a failing test never
 * leaves a server (or an open handle) behind.
 */
import { testTokenOptions } from './live';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { issueToken, type IssueTokenOptions } from '../../src/auth/tokens';

/** The repository, whether this file runs from its source (jest) or compiled under dist/ (`npm run soak`, `npm run bench`). */
export const REPO_ROOT = ((up) => (existsSync(join(up, 'package.json')) ? up : resolve(up, '..')))(resolve(__dirname, '..', '..'));
export const SERVER_ENTRY = join(REPO_ROOT, 'dist', 'src', 'main.js');

const LOOPBACK = '127.0.0.1';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 20_000;
/** Diagnostics only: the tail of each stream is enough. */
const MAX_LOG_CHARS = 256 * 1024;

export interface GqlResult<T = any> {
  status: number;
  /** Parsed JSON (`{ data?: T, errors?: [...] }`), or `{ raw }` when the body is not JSON. */
  body: { data?: T; errors?: any } & Record<string, any>;
  headers: Headers;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  /** The GraphQL endpoint, as the server logged it (`http://127.0.0.1:<port>/graphql`). */
  url: string;
  /** `http://127.0.0.1:<port>`, for `/healthz` and `/readyz`. */
  origin: string;
  port: number;
  pid: number;
  dataDir: string;
  process: ChildProcess;
  /** Resolves when the process has exited and its output is closed. */
  exited: Promise<Exit>;
  /** POST /graphql with `content-type: application/json`. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResult<T>>;
  /** Any request to the server; `path` is relative to the origin. */
  request(path: string, init?: RequestInit): Promise<{ status: number; text: string; json(): any; headers: Headers }>;
  /** Sends a signal (default SIGKILL) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<Exit>;
  /** SIGTERM, then waits for the exit (SIGKILL and an error after 15 s); returns the exit code. */
  stop(): Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** The JSON log lines written to stdout so far. */
  logLines(): Record<string, unknown>[];
}

/** The HS256 secret test servers run with, so tests can sign tokens for them. */
export const TEST_JWT_SECRET = 'e2e-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const TEST_TOKENS = { issuer: 'tashil', audience: 'tashil-api', secret: new TextEncoder().encode(TEST_JWT_SECRET) };

/** A token the test server accepts. */
export const tokenFor = (options: IssueTokenOptions): Promise<string> => issueToken(TEST_TOKENS, testTokenOptions(options));

/** Request options for `GET /metrics`, which needs an ADMIN or OPERATOR token on the main port. */
export const metricsRequest = async (): Promise<RequestInit> => ({ headers: { authorization: `Bearer ${await tokenFor({ subject: 'e2e-operator', roles: ['OPERATOR'] })}` } });

export interface StartServerOptions {
  dataDir: string;
  /** Subject of the ADMIN token `gql` sends (recorded as the actor); default `e2e-admin`. */
  actor?: string;
  /** Extra environment; `undefined` removes a variable. PORT/HOST/TASHIL_DATA_DIR are set by the helper unless given here. */
  env?: Record<string, string | undefined>;
  startTimeoutMs?: number;
  /** Flags for node itself, before the entry point (e.g. `--cpu-prof` to profile the server under a benchmark's load). */
  nodeArgs?: string[];
}

const live = new Set<ServerProcess>();

/** A port nobody listens on right now (the OS picks it; we close it again at once). */
export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error('could not read the probe port'));
        return;
      }
      probe.close(() => resolvePort(address.port));
    });
  });

/**
 * The last MAX_LOG_CHARS of a stream. Trimmed only once twice that has piled up: a server
 * under load writes a log line per request, and cutting the text at every chunk copied the
 * whole tail each time, enough to slow the benchmark's load generator in the same process.
 */
class Tail {
  private text = '';

  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length > 2 * MAX_LOG_CHARS) this.text = this.text.slice(this.text.length - MAX_LOG_CHARS);
  }

  toString(): string {
    return this.text.length > MAX_LOG_CHARS ? this.text.slice(this.text.length - MAX_LOG_CHARS) : this.text;
  }
}

const parseLogLines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });

/**
 * Starts the server and resolves once it logged `listening`. Rejects (with
 * its stderr and stdout) when it exits first or does not listen within 30 s;
 * retries on another port when the chosen one was taken in between.
 */
export const startServer = async (options: StartServerOptions): Promise<ServerProcess> => {
  if (!existsSync(SERVER_ENTRY)) {
    throw new Error(`${SERVER_ENTRY} is missing: run \`npm run build\` first (npm test does it for you)`);
  }
  const portGiven = options.env?.PORT !== undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, portGiven ? Number(options.env!.PORT) : await freePort());
    } catch (error) {
      const inUse = error instanceof Error && /EADDRINUSE/.test(error.message);
      if (!inUse || portGiven || attempt >= 3) throw error;
    }
  }
};

const startOnce = (options: StartServerOptions, port: number): Promise<ServerProcess> => {
  const adminToken = tokenFor({ subject: options.actor ?? 'e2e-admin', roles: ['ADMIN'] });
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Hermetic: nothing of the developer's own Tashil settings leaks in. NODE_ENV is
    // dropped too: Jest sets it to "test", which changes library behaviour (Apollo's
    // signal handling) and would hide what a real deployment does.
    if (value === undefined || key.startsWith('TASHIL_') || key === 'EVENTSTORE_CONNECTION_STRING' || key === 'NODE_ENV') continue;
    env[key] = value;
  }
  Object.assign(env, {
    PORT: String(port),
    HOST: LOOPBACK,
    TASHIL_DATA_DIR: options.dataDir,
    TASHIL_EVENT_STORE: 'sqlite',
    TASHIL_JWT_SECRET: TEST_JWT_SECRET,
  });
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }

  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER_ENTRY], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = new Tail();
  const stderr = new Tail();
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');

  const exited = new Promise<Exit>((resolveExit) => {
    child.once('close', (code, signal) => resolveExit({ code, signal }));
  });

  return new Promise<ServerProcess>((resolveStart, rejectStart) => {
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      // Wait for the output to close, so the error carries everything the process said.
      void exited.then(() =>
        rejectStart(new Error(`${why}\n--- stderr ---\n${stderr.toString() || '(empty)'}\n--- stdout ---\n${stdout.toString() || '(empty)'}`)),
      );
    };
    const timer = setTimeout(
      () => fail(`the server did not log "listening" within ${options.startTimeoutMs ?? START_TIMEOUT_MS} ms`),
      options.startTimeoutMs ?? START_TIMEOUT_MS,
    );

    child.once('error', (error) => fail(`cannot spawn the server: ${error.message}`));
    void exited.then(({ code, signal }) => fail(`the server exited before listening (code ${code}, signal ${signal})`));
    child.stderr!.on('data', (chunk: string) => {
      stderr.append(chunk);
    });
    child.stdout!.on('data', (chunk: string) => {
      stdout.append(chunk);
      if (settled) return;
      const listening = parseLogLines(stdout.toString()).find((line) => line.msg === 'listening');
      if (!listening) return;
      settled = true;
      clearTimeout(timer);
      const url = String(listening.url);
      const actualPort = Number(new URL(url).port);
      const origin = `http://${LOOPBACK}:${actualPort}`;

      const request: ServerProcess['request'] = async (path, init = {}) => {
        const response = await fetch(`${origin}${path}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...init });
        const text = await response.text();
        return { status: response.status, text, headers: response.headers, json: () => JSON.parse(text) };
      };

      const server: ServerProcess = {
        url,
        origin,
        port: actualPort,
        pid: child.pid!,
        dataDir: options.dataDir,
        process: child,
        exited,
        request,
        gql: async (query, variables, headers = {}) => {
          const response = await request('/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${await adminToken}`, ...headers },
            body: JSON.stringify({ query, variables }),
          });
          let body: any;
          try {
            body = response.json();
          } catch {
            body = { raw: response.text };
          }
          return { status: response.status, body, headers: response.headers };
        },
        kill: async (signal = 'SIGKILL') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          let timeout: NodeJS.Timeout | undefined;
          const result = await Promise.race([
            exited,
            new Promise<'timeout'>((r) => {
              timeout = setTimeout(() => r('timeout'), STOP_TIMEOUT_MS);
            }),
          ]);
          clearTimeout(timeout);
          if (result === 'timeout') {
            child.kill('SIGKILL');
            await exited;
            throw new Error(`the server did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM\n--- stderr ---\n${stderr.toString()}\n--- stdout ---\n${stdout.toString()}`);
          }
          return result.code;
        },
        stdout: () => stdout.toString(),
        stderr: () => stderr.toString(),
        logLines: () => parseLogLines(stdout.toString()),
      };
      live.add(server);
      void exited.then(() => live.delete(server));
      resolveStart(server);
    });
  });
};

/** SIGKILLs every server this process started that is still running, and waits for them. */
export const killAllServers = async (): Promise<void> => {
  await Promise.all([...live].map((server) => server.kill('SIGKILL')));
};

// Last line of defence: a Jest worker that exits (or crashes) takes its servers with it.
process.once('exit', () => {
  for (const server of live) {
    try {
      server.process.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

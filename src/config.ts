/**
 * Configuration comes from the environment only, and is checked once at
 * start-up: a wrong value stops the process with one clear message instead of
 * failing later on the first request.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_OBJECTION_WINDOW_DAYS } from './domain/resolution';
import { parseCorsOrigin } from './http/cors';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  eventStore: { kind: 'sqlite'; synchronous: 'FULL' | 'NORMAL' } | { kind: 'esdb'; connectionString: string };
  /** How long a mutation waits for its own write to reach the read models. */
  readYourWritesTimeoutMs: number;
  /** `/readyz` answers 503 while any projection is further behind the store than this. */
  readyMaxLagEvents: number;
  /** How often the projections' store subscription is checked for a silent stall (ms; 0: never). */
  stallCheckMs: number;
  /**
   * Worker threads that replay history into projections far behind the head, several at
   * once at start-up and one per rebuild (`TASHIL_CATCH_UP_THREADS`, default: the cores, at most 4;
   * 1 keeps start-up catch-up on the main thread); only projections at least
   * `catchUpMinLagEvents` behind go to a thread (`TASHIL_CATCH_UP_MIN_LAG_EVENTS`).
   */
  catchUpThreads: number;
  catchUpMinLagEvents: number;
  /** How far back a command's `occurredAt` may lie: a meeting entered late, not a history rewritten (`TASHIL_MAX_BACKDATE_DAYS`). */
  maxBackdateDays: number;
  /** Days an agency has to object to a communicated resolution when the command names no window (`TASHIL_OBJECTION_WINDOW_DAYS`). */
  objectionWindowDays: number;
  auth: {
    issuer: string;
    audience: string;
    /** HS256 shared secret; in development without one, a local secret is generated in the data folder. */
    secret: string | null;
    jwksUrl: string | null;
    /** Longest lifetime a token may have, in seconds (TASHIL_TOKEN_MAX_LIFETIME_HOURS, default 720). */
    maxLifetimeSeconds: number;
  };
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxCost: number;
    /** Requests per minute per actor (per address when anonymous or when the token is refused). */
    ratePerMinute: number;
    /** Lexical tokens a signed-in caller's document may have; more is refused before it is parsed (`TASHIL_MAX_TOKENS`). */
    maxTokens: number;
    /** The same for a request without a token (`TASHIL_MAX_TOKENS_ANONYMOUS`), counted before Apollo sees it. */
    maxTokensAnonymous: number;
  };
  /** Exact origins of web clients on other origins (`TASHIL_CORS_ORIGINS`); empty: same origin only, no CORS headers. */
  corsOrigins: string[];
  /**
   * Bytes of complete GraphQL responses remembered for repeated queries
   * (`TASHIL_RESPONSE_CACHE_MB`, in MiB); 0: no response cache.
   */
  responseCacheBytes: number;
  /**
   * Where `/metrics` is served on its own, without a token (`TASHIL_METRICS_ADDRESS`, host:port),
   * and then not on the main port at all; null: on the main port, to ADMIN and OPERATOR tokens only.
   */
  metricsAddress: { host: string; port: number } | null;
  /** Introspection and "did you mean" suggestions: on in development, off in production by default. */
  introspection: boolean;
  /** The self-hosted GraphiQL page at `GET /graphql` for browsers (`TASHIL_EXPLORER`): on in development, off in production by default. */
  explorer: boolean;
  subscriptions: {
    /** Updates a subscriber may leave untaken before its connection is cut off (`TASHIL_SUBSCRIPTION_QUEUE_LIMIT`). */
    queueLimit: number;
    /** Subscriptions one WebSocket connection may hold (`TASHIL_MAX_SUBSCRIPTIONS_PER_CONNECTION`). */
    maxPerConnection: number;
    /** WebSocket connections the server holds at once; more are refused with 503 (`TASHIL_MAX_WEBSOCKET_CONNECTIONS`). */
    maxConnections: number;
    /** How often deadlines are checked for resolutions that became overdue (`TASHIL_OVERDUE_SCAN_MS`). */
    overdueScanMs: number;
  };
  production: boolean;
}

/** The embedded store's file inside the data folder (read models live in `projections/` beside it). */
export const EVENTS_FILE = 'events.sqlite';

/** Where live updates keep the end of their last deadline scan, beside the store (see `LiveUpdatesOptions.stateFile`). */
export const LIVE_UPDATES_FILE = 'live-updates.json';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const integer = (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
};

/** `host:port` (`[::1]:9100` for IPv6) from the environment, or null when unset. */
const hostPort = (env: NodeJS.ProcessEnv, name: string): { host: string; port: number } | null => {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:\[\]]+)):(\d{1,5})$/.exec(raw);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) throw new ConfigError(`${name} must be host:port (e.g. 127.0.0.1:9464 or [::1]:9464), got "${raw}"`);
  return { host: match[1] ?? match[2]!, port };
};

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const kind = env.TASHIL_EVENT_STORE ?? 'sqlite';
  let eventStore: Config['eventStore'];
  if (kind === 'sqlite') {
    const synchronous = (env.TASHIL_SQLITE_SYNCHRONOUS ?? 'FULL').toUpperCase();
    if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
      throw new ConfigError(`TASHIL_SQLITE_SYNCHRONOUS must be FULL or NORMAL, got "${env.TASHIL_SQLITE_SYNCHRONOUS}"`);
    }
    eventStore = { kind, synchronous };
  } else if (kind === 'esdb') {
    const connectionString = env.EVENTSTORE_CONNECTION_STRING ?? '';
    if (!/^esdb(\+discover)?:\/\/[^\s]+$/.test(connectionString)) {
      throw new ConfigError(
        `TASHIL_EVENT_STORE=esdb needs EVENTSTORE_CONNECTION_STRING=esdb://host:2113?tls=false (or esdb+discover://…), got "${connectionString}"`,
      );
    }
    eventStore = { kind, connectionString };
  } else {
    throw new ConfigError(`TASHIL_EVENT_STORE must be "sqlite" (embedded, the default) or "esdb", got "${kind}"`);
  }
  const production = env.NODE_ENV === 'production';
  const secret = env.TASHIL_JWT_SECRET || null;
  const jwksUrl = env.TASHIL_JWKS_URL || null;
  if (secret !== null && Buffer.byteLength(secret) < 32) throw new ConfigError('TASHIL_JWT_SECRET must be at least 32 bytes');
  if (jwksUrl !== null && !/^https?:\/\/\S+$/.test(jwksUrl)) throw new ConfigError(`TASHIL_JWKS_URL must be an http(s) URL, got "${jwksUrl}"`);
  if (production && secret === null && jwksUrl === null) {
    throw new ConfigError('NODE_ENV=production needs TASHIL_JWKS_URL (your identity provider) or TASHIL_JWT_SECRET; refusing to start without real keys');
  }
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new ConfigError(`${name} must be true or false, got "${raw}"`);
  };
  const corsOrigins = (env.TASHIL_CORS_ORIGINS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const parsed = parseCorsOrigin(entry);
      if ('error' in parsed) throw new ConfigError(`TASHIL_CORS_ORIGINS: ${parsed.error}`);
      return parsed.origin;
    });
  return {
    port: integer(env, 'PORT', 4000, 0, 65535),
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.TASHIL_DATA_DIR ?? 'data'),
    eventStore,
    readYourWritesTimeoutMs: integer(env, 'TASHIL_READ_YOUR_WRITES_TIMEOUT_MS', 5000, 1, 600_000),
    readyMaxLagEvents: integer(env, 'TASHIL_READY_MAX_LAG_EVENTS', 1000, 0, 1_000_000_000),
    stallCheckMs: integer(env, 'TASHIL_STALL_CHECK_MS', 10_000, 0, 3_600_000),
    // At most 4 by default: each thread holds its own heap, page of events and connections.
    catchUpThreads: integer(env, 'TASHIL_CATCH_UP_THREADS', Math.min(availableParallelism(), 4), 1, 64),
    catchUpMinLagEvents: integer(env, 'TASHIL_CATCH_UP_MIN_LAG_EVENTS', 10_000, 1, 1_000_000_000),
    objectionWindowDays: integer(env, 'TASHIL_OBJECTION_WINDOW_DAYS', DEFAULT_OBJECTION_WINDOW_DAYS, 0, 365),
    maxBackdateDays: integer(env, 'TASHIL_MAX_BACKDATE_DAYS', 90, 0, 3650),
    auth: {
      issuer: env.TASHIL_JWT_ISSUER ?? 'tashil',
      audience: env.TASHIL_JWT_AUDIENCE ?? 'tashil-api',
      secret,
      jwksUrl,
      // Longest lifetime a token may have (exp − iat); a longer one is refused, whoever signed it.
      maxLifetimeSeconds: integer(env, 'TASHIL_TOKEN_MAX_LIFETIME_HOURS', 24 * 30, 1, 24 * 365) * 3600,
    },
    limits: {
      maxDepth: integer(env, 'TASHIL_MAX_QUERY_DEPTH', 12, 2, 100),
      maxAliases: integer(env, 'TASHIL_MAX_ALIASES', 20, 1, 1000),
      maxCost: integer(env, 'TASHIL_MAX_QUERY_COST', 20_000, 100, 10_000_000),
      ratePerMinute: integer(env, 'TASHIL_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
      maxTokens: integer(env, 'TASHIL_MAX_TOKENS', 20_000, 100, 10_000_000),
      maxTokensAnonymous: integer(env, 'TASHIL_MAX_TOKENS_ANONYMOUS', 1000, 10, 10_000_000),
    },
    corsOrigins,
    metricsAddress: hostPort(env, 'TASHIL_METRICS_ADDRESS'),
    responseCacheBytes: integer(env, 'TASHIL_RESPONSE_CACHE_MB', 32, 0, 65_536) * 1024 * 1024,
    introspection: flag('TASHIL_INTROSPECTION', !production),
    explorer: flag('TASHIL_EXPLORER', !production),
    subscriptions: {
      queueLimit: integer(env, 'TASHIL_SUBSCRIPTION_QUEUE_LIMIT', 100, 1, 100_000),
      maxPerConnection: integer(env, 'TASHIL_MAX_SUBSCRIPTIONS_PER_CONNECTION', 50, 1, 10_000),
      maxConnections: integer(env, 'TASHIL_MAX_WEBSOCKET_CONNECTIONS', 10_000, 1, 1_000_000),
      overdueScanMs: integer(env, 'TASHIL_OVERDUE_SCAN_MS', 60_000, 10, 86_400_000),
    },
    production,
  };
};

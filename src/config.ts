/**
 * Configuration comes from the environment only, and is checked once at
 * start-up: a wrong value stops the process with one clear message instead of
 * failing later on the first request.
 */
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  eventStore: { kind: 'sqlite'; synchronous: 'FULL' | 'NORMAL' } | { kind: 'esdb'; connectionString: string };
  /** How long a mutation waits for its own write to reach the read models. */
  readYourWritesTimeoutMs: number;
  /** Actor recorded on events until authentication lands. */
  developmentActor: string;
  production: boolean;
}

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
  return {
    port: integer(env, 'PORT', 4000, 0, 65535),
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.TASHIL_DATA_DIR ?? 'data'),
    eventStore,
    readYourWritesTimeoutMs: integer(env, 'TASHIL_READ_YOUR_WRITES_TIMEOUT_MS', 5000, 1, 600_000),
    developmentActor: env.TASHIL_DEV_ACTOR ?? 'development',
    production: env.NODE_ENV === 'production',
  };
};

/**
 * The seed scenarios recorded through the real commands into a real SQLite
 * file, once per test file; each test tampers with its own copy.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EVENTS_FILE } from '../../src/config';
import { createSqliteEventStore, type SqliteEventStore } from '../../src/eventstore/sqlite';
import { commandsFor, seedScenarios } from '../../src/seed/scenarios';
import { tempDir } from '../support/app';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const CLI = join(REPO_ROOT, 'dist', 'src', 'cli.js');

/** A data folder holding the seeded scenarios (store closed, so the file is complete on its own). */
export const seededDataDir = async (): Promise<string> => {
  const dir = tempDir('tashil-audit-seed-');
  const store = createSqliteEventStore({ path: join(dir, EVENTS_FILE), synchronous: 'NORMAL' });
  try {
    await seedScenarios(commandsFor(store));
  } finally {
    await store.close();
  }
  return dir;
};

/** A fresh data folder with a copy of `source`'s event store. */
export const copyOf = (source: string): string => {
  const dir = tempDir('tashil-audit-');
  mkdirSync(dir, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(join(source, EVENTS_FILE + suffix))) copyFileSync(join(source, EVENTS_FILE + suffix), join(dir, EVENTS_FILE + suffix));
  }
  return dir;
};

export const openStore = (dir: string): SqliteEventStore => createSqliteEventStore({ path: join(dir, EVENTS_FILE), synchronous: 'NORMAL' });

/** Runs SQL on the events file directly, as someone with access to the disk could. */
export const withFile = <T>(dir: string, work: (db: Database.Database) => T): T => {
  const db = new Database(join(dir, EVENTS_FILE));
  try {
    return work(db);
  } finally {
    db.close();
  }
};

export interface Row {
  position: number;
  stream: string;
  revision: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
}

export const rowsOf = (dir: string, stream: string): Row[] =>
  withFile(dir, (db) => db.prepare(`SELECT position, stream, revision, type, schema_version, data, metadata FROM events WHERE stream = ? ORDER BY revision`).all(stream) as Row[]);

/** The stream with the most events (the Pakdasht meeting in the seed). */
export const longestStream = (dir: string): string =>
  withFile(dir, (db) => (db.prepare(`SELECT stream FROM events GROUP BY stream ORDER BY COUNT(*) DESC, stream LIMIT 1`).get() as { stream: string }).stream);

/** Runs `node dist/src/cli.js …` on `dataDir`, hermetically (no TASHIL_* of the developer's). */
export const runCli = (args: string[], dataDir: string): { status: number | null; stdout: string; stderr: string } => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('TASHIL_') && key !== 'NODE_ENV') env[key] = value;
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...env, TASHIL_DATA_DIR: dataDir, TASHIL_EVENT_STORE: 'sqlite' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

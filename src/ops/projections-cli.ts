/**
 * `tashil projections …`: status, rebuild (with a progress bar), pause and
 * resume go to the running server over GraphQL, so they act on the live
 * process; `export` reads a projection's SQLite file directly (read-only).
 */
import Database from 'better-sqlite3';
import { createWriteStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config';
import { openNewFile } from '../private-files';
import { csvLine } from './csv';
import { callServer as call, type ServerOptions } from './server-client';

const STATUS_FIELDS = 'name version state position lagEvents lagSeconds eventsPerSecond lastError failedAt rebuild { version position head eventsPerSecond etaSeconds }';

interface Status {
  name: string;
  version: number;
  state: string;
  position: string;
  lagEvents: string;
  lagSeconds: number;
  eventsPerSecond: number;
  lastError: string | null;
  failedAt: string | null;
  rebuild: { version: number; position: string; head: string; eventsPerSecond: number; etaSeconds: number | null } | null;
}

const row = (s: Status): string =>
  [
    s.name.padEnd(14),
    `v${s.version}`.padEnd(4),
    s.state.padEnd(12),
    `at ${s.position}`.padEnd(12),
    `lag ${s.lagEvents} (${s.lagSeconds.toFixed(1)} s)`.padEnd(20),
    `${s.eventsPerSecond} ev/s`.padEnd(12),
    s.lastError ? `failed at ${s.failedAt}: ${s.lastError}` : '',
  ].join(' ');

export const projectionStatus = async (config: Config, server: ServerOptions): Promise<Status[]> =>
  (await call<{ projections: Status[] }>(config, server, `{ projections { ${STATUS_FIELDS} } }`)).projections;

export const printStatus = async (config: Config, server: ServerOptions, out: NodeJS.WritableStream): Promise<void> => {
  for (const s of await projectionStatus(config, server)) out.write(`${row(s)}\n`);
};

const bar = (done: number, total: number, width = 30): string => {
  const share = total <= 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%`;
};

/** Starts a rebuild on the server and follows it to the switch, drawing a progress bar with events/s and time left. */
export const rebuildWithProgress = async (
  config: Config,
  server: ServerOptions,
  name: string,
  out: NodeJS.WritableStream,
  /** `fromPosition`: replay from this store position on (decimal), instead of the projection's start. */
  { pollMs = 500, timeoutMs = 24 * 3600 * 1000, fromPosition }: { pollMs?: number; timeoutMs?: number; fromPosition?: string | undefined } = {},
): Promise<Status> => {
  await call(config, server, `mutation ($input: ProjectionInput!, $from: String) { rebuildProjection(input: $input, fromPosition: $from) { name } }`, {
    input: { name },
    from: fromPosition ?? null,
  });
  const end = Date.now() + timeoutMs;
  for (;;) {
    const status = (await projectionStatus(config, server)).find((s) => s.name === name);
    if (!status) throw new Error(`no projection named ${name}`);
    if (status.rebuild) {
      const r = status.rebuild;
      out.write(`${bar(Number(r.position), Number(r.head))} ${r.position}/${r.head} ${r.eventsPerSecond} ev/s, ${r.etaSeconds === null ? '…' : `${r.etaSeconds} s`} left\n`);
    } else if (status.state === 'FAILED') {
      throw new Error(`rebuild of ${name} failed at ${status.failedAt}: ${status.lastError}`);
    } else {
      out.write(`${bar(1, 1)} ${name} v${status.version} rebuilt and serving (${status.state})\n`);
      return status;
    }
    if (Date.now() > end) throw new Error(`rebuild of ${name} did not finish in time`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
};

export const pauseOrResume = async (config: Config, server: ServerOptions, action: 'pause' | 'resume', name: string): Promise<Status> => {
  const field = action === 'pause' ? 'pauseProjection' : 'resumeProjection';
  return (await call<Record<string, Status>>(config, server, `mutation ($input: ProjectionInput!) { ${field}(input: $input) { ${STATUS_FIELDS} } }`, { input: { name } }))[field]!;
};

/** The file a projection's current tables live in: its highest version (a rebuild's `.next` file aside). */
export const projectionFile = (dataDir: string, name: string): string => {
  const directory = join(dataDir, 'projections');
  const versions = readdirSync(directory)
    .map((f) => new RegExp(`^${name}\\.v(\\d+)\\.sqlite$`).exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]));
  if (versions.length === 0) throw new Error(`no read model named ${name} in ${directory}`);
  return join(directory, versions[0]![0]);
};

/**
 * Writes one table of a projection as CSV (header row first), streaming row by row.
 * A file named by `out` is created 0600 and refused if it exists (a symbolic link always) unless `force`.
 */
export const exportCsv = async (
  dataDir: string,
  name: string,
  table: string | undefined,
  out: NodeJS.WritableStream | string,
  { force = false }: { force?: boolean } = {},
): Promise<number> => {
  const db = new Database(projectionFile(dataDir, name), { readonly: true });
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY rowid`).all() as { name: string }[]).map(
      (t) => t.name,
    );
    const chosen = table ?? tables[0];
    if (!chosen || !tables.includes(chosen)) throw new Error(`${name} has the tables ${tables.join(', ')}; --table names one of them`);
    const stream: NodeJS.WritableStream = typeof out === 'string' ? createWriteStream(out, { fd: openNewFile(out, { force }) }) : out;
    const statement = db.prepare(`SELECT * FROM "${chosen}"`);
    stream.write(csvLine(statement.columns().map((c) => c.name)));
    let rows = 0;
    for (const r of statement.raw(true).iterate() as IterableIterator<unknown[]>) {
      if (!stream.write(csvLine(r))) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
      rows++;
    }
    if (typeof out === 'string') await new Promise<void>((resolve) => stream.end(() => resolve()));
    return rows;
  } finally {
    db.close();
  }
};

/**
 * Compares read models row by row: the projections a process built live
 * against a rebuild from the first event into a fresh folder.
 */
import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import { discoverProjections } from '../../src/projection/discover';
import { ProjectionRuntime } from '../../src/projection/runtime';
import { tempDir } from './app';

export type Dump = Record<string, Record<string, unknown[]>>;

/** Every table of every projection file in `directory` (checkpoints and durability marks aside), rows sorted. */
export const dumpReadModels = (directory: string): Dump => {
  const dump: Dump = {};
  for (const file of readdirSync(directory).filter((f) => f.endsWith('.sqlite')).sort()) {
    const db = new Database(join(directory, file), { readonly: true });
    try {
      const tables = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('_checkpoint', '_durability') ORDER BY name`)
        .all() as { name: string }[];
      // FTS5 keeps its index in shadow tables whose layout depends on how the rows were batched;
      // the virtual table itself shows the indexed content, which is what must match.
      const virtual = (db.prepare(`SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'`).all() as { name: string }[]).map((t) => t.name);
      const shadow = (name: string) => virtual.some((v) => name.startsWith(`${v}_`));
      dump[file] = {};
      for (const { name } of tables.filter((t) => !shadow(t.name))) {
        const rows = db.prepare(`SELECT * FROM "${name}"`).all().map((r) => JSON.stringify(r));
        dump[file]![name] = rows.sort().map((r) => JSON.parse(r) as unknown);
      }
    } finally {
      db.close();
    }
  }
  return dump;
};

export const checkpoints = (directory: string): Record<string, bigint> => {
  const result: Record<string, bigint> = {};
  for (const file of readdirSync(directory).filter((f) => f.endsWith('.sqlite'))) {
    const db = new Database(join(directory, file), { readonly: true });
    try {
      result[file] = (db.prepare(`SELECT position FROM _checkpoint`).safeIntegers(true).get() as { position: bigint }).position;
    } finally {
      db.close();
    }
  }
  return result;
};

/** Rebuilds every projection from position 0 of the events file into a fresh folder and dumps it. */
export const rebuildFromScratch = async (eventsFile: string): Promise<Dump> => {
  const store = createSqliteEventStore({ path: eventsFile, synchronous: 'NORMAL' });
  const directory = tempDir('tashil-rebuild-');
  const runtime = new ProjectionRuntime(store, { directory, projections: discoverProjections() });
  try {
    await runtime.start();
    await runtime.waitForPosition(await store.headPosition(), 60_000);
  } finally {
    await runtime.stop();
    await store.close();
  }
  return dumpReadModels(directory);
};

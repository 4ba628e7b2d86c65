/**
 * Query-only indexes (`indexes` in a projection's definition) are not kept up
 * row by row while history replays: they are built in one pass when the
 * projection reaches the head, before it is announced live, and before a
 * rebuilt projection is switched in.
 */
import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import { discoverProjections } from '../../src/projection/discover';
import { defineProjection, indexStatements, type ReadModelDb } from '../../src/projection/projection';
import { ProjectionRuntime } from '../../src/projection/runtime';
import { commandsFor, seedScenarios } from '../../src/seed/scenarios';
import { tempDir } from '../support/app';

const INDEX_SQL = `SELECT 1 AS found FROM sqlite_master WHERE type = 'index' AND name = ?`;
const indexExists = (db: Database.Database, name: string): boolean => db.prepare(INDEX_SQL).get(name) !== undefined;
const handlerSeesIndex = (db: ReadModelDb, name: string): boolean => db.get(INDEX_SQL, [name]) !== undefined;

/** Units per county; records, at every event it applies, whether its query index existed then. */
const countiesProjection = (seen: boolean[]) =>
  defineProjection({
    name: 'county-units',
    version: 1,
    description: 'units by county',
    schema: `CREATE TABLE county_units (unit_id TEXT PRIMARY KEY, county TEXT NOT NULL);`,
    indexes: `CREATE INDEX IF NOT EXISTS county_units_county ON county_units (county, unit_id);`,
    handlers: {
      UnitRegistered: (event, db) => {
        seen.push(handlerSeesIndex(db, 'county_units_county'));
        db.run(`INSERT OR IGNORE INTO county_units (unit_id, county) VALUES (?, ?)`, [event.data.unitId, event.data.county]);
      },
    },
  });

const seededStore = async () => {
  const directory = tempDir();
  const store = createSqliteEventStore({ path: join(directory, 'events.sqlite'), synchronous: 'NORMAL' });
  await seedScenarios(commandsFor(store));
  return { directory, store };
};

test('a query index is absent while history replays and present, and used, once the projection is live', async () => {
  const { directory, store } = await seededStore();
  const seen: boolean[] = [];
  const runtime = new ProjectionRuntime(store, { directory, projections: [countiesProjection(seen)], batchSize: 2 });
  await runtime.start();
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.every((existed) => !existed)).toBe(true);
  const reader = runtime.reader('county-units');
  expect(indexExists(reader, 'county_units_county')).toBe(true);
  const plan = reader.prepare(`EXPLAIN QUERY PLAN SELECT unit_id FROM county_units WHERE county = ? ORDER BY unit_id`).all('پاکدشت') as { detail: string }[];
  expect(plan.map((p) => p.detail).join(' ')).toMatch(/county_units_county/);
  await runtime.stop();

  // A restart finds it there; building it again is a no-op, not an error.
  const again = new ProjectionRuntime(store, { directory, projections: [countiesProjection([])] });
  await again.start();
  expect(indexExists(again.reader('county-units'), 'county_units_county')).toBe(true);
  await again.stop();
  await store.close();
});

test('a rebuilt projection is switched in with its query indexes already built', async () => {
  const { directory, store } = await seededStore();
  const runtime = new ProjectionRuntime(store, { directory, projections: [countiesProjection([])] });
  await runtime.start();
  await runtime.rebuild('county-units');
  expect(indexExists(runtime.reader('county-units'), 'county_units_county')).toBe(true);
  expect(runtime.reader('county-units').prepare(`SELECT COUNT(*) AS n FROM county_units`).get()).toEqual({ n: 5 });
  await runtime.stop();
  await store.close();
});

test('indexes may only hold CREATE [UNIQUE] INDEX IF NOT EXISTS statements', () => {
  const define = (indexes: string) => () =>
    defineProjection({ name: 'bad', version: 1, description: 'x', schema: 'CREATE TABLE t (a TEXT);', indexes, handlers: { UnitRegistered: () => undefined } });
  expect(define('CREATE INDEX t_a ON t (a);')).toThrow(/IF NOT EXISTS/);
  expect(define('CREATE TABLE u (b TEXT);')).toThrow(/IF NOT EXISTS/);
  expect(define('CREATE INDEX IF NOT EXISTS t_a ON t (a); DROP TABLE t;')).toThrow(/DROP TABLE/);
  expect(define('CREATE UNIQUE INDEX IF NOT EXISTS t_a ON t (a);\n  create index if not exists t_b on t (a);')).not.toThrow();
});

test("every query index the product's projections declare exists in their files once they are live", async () => {
  const { directory, store } = await seededStore();
  const projections = discoverProjections();
  const runtime = new ProjectionRuntime(store, { directory, projections });
  await runtime.start();
  await runtime.stop();
  await store.close();
  const declared = projections.flatMap((p) =>
    indexStatements(p.indexes).map((statement) => ({ projection: p, index: /INDEX\s+IF\s+NOT\s+EXISTS\s+(\w+)/i.exec(statement)![1]! })),
  );
  expect(declared.length).toBeGreaterThan(20);
  const files = readdirSync(directory);
  for (const { projection, index } of declared) {
    const file = files.find((f) => f === `${projection.name}.v${projection.version}.sqlite`)!;
    const db = new Database(join(directory, file), { readonly: true });
    try {
      expect({ file, index, exists: indexExists(db, index) }).toEqual({ file, index, exists: true });
    } finally {
      db.close();
    }
  }
});

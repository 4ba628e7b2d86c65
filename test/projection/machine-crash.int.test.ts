/**
 * Projection files are written without fsyncs (`src/projection/durability.ts`):
 * a process crash loses nothing, and a file that was being written when the
 * machine itself went down is not trusted but replayed from the events.
 *
 * A machine crash cannot be staged in a test, so its trace on disk is: the file
 * still marked in use, by an earlier boot of the machine, and (standing for a
 * page that never reached the disk) a row that disagrees with the events.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { systemPrincipal } from '../../src/auth/principal';
import { FacilitationCommands } from '../../src/commands/facilitation';
import { createSqliteEventStore, type SqliteEventStore } from '../../src/eventstore/sqlite';
import { machineBoot, markInUse } from '../../src/projection/durability';
import { defineProjection } from '../../src/projection/projection';
import { catchUpFiles, ProjectionRuntime } from '../../src/projection/runtime';
import { kharazmiUnit } from '../api/operations';
import { tempDir } from '../support/app';

const units = defineProjection({
  name: 'unit-names',
  version: 1,
  description: 'units by name',
  schema: `CREATE TABLE unit_names (unit_id TEXT PRIMARY KEY, name TEXT NOT NULL);`,
  handlers: {
    UnitRegistered: (event, db) => {
      db.run(`INSERT INTO unit_names (unit_id, name) VALUES (?, ?)`, [event.data.unitId, event.data.name]);
    },
  },
});

const THIS_BOOT = 'boot-after-the-crash';

interface Setting {
  directory: string;
  store: SqliteEventStore;
  file: string;
  log: { message: string; fields?: Record<string, unknown> }[];
  start(): Promise<ProjectionRuntime>;
}

/** A store with three units, projected once by a runtime that stopped cleanly. */
const projectedOnce = async (): Promise<Setting> => {
  const directory = tempDir('tashil-machine-crash-');
  const store = createSqliteEventStore({ path: join(directory, 'events.sqlite'), synchronous: 'NORMAL' });
  const commands = new FacilitationCommands(store);
  for (let i = 0; i < 3; i++) {
    const input = kharazmiUnit({ nationalId: String(10_600_000_000 + i), name: `واحد ${i}` }) as Parameters<FacilitationCommands['registerUnit']>[0];
    await commands.registerUnit(input, { principal: systemPrincipal(), now: new Date() });
  }
  const log: Setting['log'] = [];
  const start = async (): Promise<ProjectionRuntime> => {
    const runtime = new ProjectionRuntime(store, {
      directory: join(directory, 'projections'),
      projections: [units],
      bootId: THIS_BOOT,
      log: (message, fields) => log.push({ message, ...(fields ? { fields } : {}) }),
    });
    await runtime.start();
    return runtime;
  };
  await (await start()).stop();
  return { directory, store, file: join(directory, 'projections', 'unit-names.v1.sqlite'), log, start };
};

/** What the file holds on disk after a process of `boot` wrote it and stopped (cleanly or not), with one row torn. */
const leaveBehind = (file: string, boot: string, clean: boolean): void => {
  const db = new Database(file);
  db.prepare(`UPDATE _durability SET boot = ?, clean = ?`).run(boot, clean ? 1 : 0);
  db.prepare(`UPDATE unit_names SET name = 'صفحه‌ای که به دیسک نرسید' WHERE rowid = 1`).run();
  db.close();
};

/** A rebuild's file, as a process of `boot` left it when it stopped half-way: its tables, marked in use, no rows. */
const halfWayRebuild = (setting: Setting, boot: string): string => {
  const next = join(setting.directory, 'projections', 'unit-names.v1.next.sqlite');
  const half = new Database(next);
  half.exec(units.schema);
  markInUse(half, boot);
  half.close();
  return next;
};

/** The durability mark a file carries on disk. */
const markOf = (file: string): unknown => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT boot, clean FROM _durability`).get();
  } finally {
    db.close();
  }
};

const names = (runtime: ProjectionRuntime): string[] =>
  (runtime.reader('unit-names').prepare(`SELECT name FROM unit_names ORDER BY name`).all() as { name: string }[]).map((r) => r.name);

const replayedNotice = (setting: Setting) => setting.log.filter((l) => l.message.startsWith('projection file was being written when the machine stopped'));

test('given a file a process of an earlier boot was still writing, when the runtime starts, then it is deleted and replayed from the events', async () => {
  const setting = await projectedOnce();
  leaveBehind(setting.file, 'boot-before-the-crash', false);

  const runtime = await setting.start();

  expect(names(runtime)).toEqual(['واحد 0', 'واحد 1', 'واحد 2']);
  expect(replayedNotice(setting)).toEqual([{ message: expect.any(String), fields: { file: setting.file } }]);
  await runtime.stop();
  await setting.store.close();
});

test.each([
  // The torn row stands for nothing here (a process crash leaves the page cache whole): kept as it is, not replayed.
  ['a process of this boot was writing when it crashed', THIS_BOOT, false],
  ['closed cleanly before the machine restarted, now in a new boot', 'boot-before-a-clean-restart', true],
] as const)('given a file %s, when the runtime starts, then the file is kept', async (_, boot, clean) => {
  const setting = await projectedOnce();
  leaveBehind(setting.file, boot, clean);

  const runtime = await setting.start();

  expect(names(runtime)).toContain('صفحه‌ای که به دیسک نرسید');
  expect(replayedNotice(setting)).toEqual([]);
  await runtime.stop();
  await setting.store.close();
});

test('given a rebuild an earlier boot left half-way, when the runtime starts, then its file is deleted and the current tables keep serving', async () => {
  const setting = await projectedOnce();
  const next = halfWayRebuild(setting, 'boot-before-the-crash');

  const runtime = await setting.start();

  expect(existsSync(next)).toBe(false);
  expect(names(runtime)).toEqual(['واحد 0', 'واحد 1', 'واحد 2']);
  expect(replayedNotice(setting).map((l) => l.fields?.file)).toEqual([next]);
  await runtime.stop();
  await setting.store.close();
});

test('given a torn current file beside a rebuild left half-way, when the runtime starts, then the current file is replayed and the rebuild dropped (not done twice)', async () => {
  const setting = await projectedOnce();
  const next = halfWayRebuild(setting, THIS_BOOT);
  leaveBehind(setting.file, 'boot-before-the-crash', false);

  const runtime = await setting.start();

  expect(existsSync(next)).toBe(false);
  expect(names(runtime)).toEqual(['واحد 0', 'واحد 1', 'واحد 2']);
  expect((await runtime.status())[0]!.rebuild).toBeNull();
  await runtime.stop();
  await setting.store.close();
});

test('a file in use is written without fsyncs only where a boot can be told, and a clean close marks it clean', async () => {
  const directory = tempDir('tashil-machine-crash-');
  const marked = new Database(join(directory, 'marked.sqlite'));
  marked.pragma('journal_mode = WAL');
  markInUse(marked, 'some-boot');
  expect(marked.pragma('synchronous', { simple: true })).toBe(0); // OFF
  expect(marked.prepare(`SELECT boot, clean FROM _durability`).get()).toEqual({ boot: 'some-boot', clean: 0 });
  marked.close();

  const unmarked = new Database(join(directory, 'unmarked.sqlite'));
  markInUse(unmarked, null);
  expect(unmarked.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
  expect(unmarked.prepare(`SELECT name FROM sqlite_master WHERE name = '_durability'`).get()).toBeUndefined();
  unmarked.close();

  // On Linux the boot is the kernel's: these machines have one.
  expect(machineBoot()).toMatch(/^[0-9a-f-]{36}$/);

  const setting = await projectedOnce();
  expect(markOf(setting.file)).toEqual({ boot: THIS_BOOT, clean: 1 });
  await setting.store.close();
});

test('a catch-up outside the runtime (what a worker thread runs) marks its files with the boot it is given', async () => {
  const setting = await projectedOnce();
  const file = join(setting.directory, 'elsewhere.sqlite');

  await catchUpFiles(setting.store, [{ definition: units, file, boot: THIS_BOOT }]);

  expect(markOf(file)).toEqual({ boot: THIS_BOOT, clean: 1 });
  const db = new Database(file, { readonly: true });
  expect(db.prepare(`SELECT COUNT(*) AS n FROM unit_names`).get()).toEqual({ n: 3 });
  db.close();
  await setting.store.close();
});

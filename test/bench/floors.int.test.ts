/**
 * The benchmark's floors are yardsticks only if they really do the writes they
 * stand for: the write floor answers a mutation only after the event is in the
 * store and a row is in every read model; the rebuild floor writes one row per
 * event into each projection's file that handles its type. Both run as the
 * benchmark runs them, from the compiled code (their writers are worker threads).
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/server-process';
import { cachedStore } from './generate';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(os.tmpdir(), 'tashil-floors-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const count = (file: string, sql: string, ...params: unknown[]): number => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().get(...params) as number;
  } finally {
    db.close();
  }
};

test('the write floor answers each mutation once its event is stored and every read model has its row', async () => {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'test', 'bench', 'apollo-baseline.js'), '--write-floor', dir, '3'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString()) as { url: string }).url)));
    const raise = (title: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation ($t: String!) { raise(unitId: "u-1", title: $t) }', variables: { t: title } }),
      }).then((r) => r.json() as Promise<{ data: { raise: string } }>);
    // Concurrent ones share a group; every answer comes after its own writes.
    const answers = await Promise.all(['برق', 'گاز', 'آب', 'بیمه', 'گمرک'].map(raise));
    for (const { data } of answers) {
      const id = data.raise;
      expect(count(join(dir, 'events.sqlite'), "SELECT COUNT(*) FROM events WHERE id = ? AND type = 'ObstacleRaised'", id)).toBe(1);
      for (const model of [0, 1, 2]) expect(count(join(dir, `read-model-${model}.sqlite`), 'SELECT COUNT(*) FROM rows WHERE id = ?', id)).toBe(1);
    }
    expect(count(join(dir, 'read-model-2.sqlite'), 'SELECT events FROM checkpoint')).toBe(5);
  } finally {
    child.kill('SIGKILL');
  }
});

test('the rebuild floor writes one row per event into each projection file that handles its type', async () => {
  const history = await cachedStore(join(dir, 'cache'), 600);
  const floor = require(join(REPO_ROOT, 'dist', 'test', 'bench', 'rebuild-floor.js')) as typeof import('./rebuild-floor');
  const projections = [
    { name: 'units', types: ['UnitRegistered', 'UnitActivityStatusChanged'] },
    { name: 'cases', types: ['ObstacleRaised'] },
    { name: 'none', types: [] },
  ];
  await floor.writeFloor(history.file, join(dir, 'floor'), projections, 2);
  for (const { name, types } of projections) {
    const expected = types.length === 0 ? 0 : count(history.file, `SELECT COUNT(*) FROM events WHERE type IN (${types.map(() => '?').join(', ')})`, ...types);
    expect(count(join(dir, 'floor', `${name}.sqlite`), 'SELECT COUNT(*) FROM rows')).toBe(expected);
  }
  expect(count(history.file, 'SELECT COUNT(*) FROM events WHERE type = ?', 'UnitRegistered')).toBeGreaterThan(0);
  const parsed = floor.readEveryEvent(history.file, { parse: true });
  expect(parsed.seconds).toBeGreaterThan(0);
  expect(parsed.events).toBe(count(history.file, 'SELECT COUNT(*) FROM events'));
});

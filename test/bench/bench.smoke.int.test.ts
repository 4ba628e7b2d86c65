/**
 * Keeps `npm run bench` from rotting: runs every section at tiny sizes against
 * real server processes and real SQLite files, and checks that each produced
 * its figures and that the Markdown and JSON reports were written. Asserts no
 * timing and no ratio: speed is measured by the benchmark, never by a test.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { runBench, type BenchReport } from './bench';
import { cachedStore } from './generate';

let dir: string;
let report: BenchReport;

beforeAll(async () => {
  dir = mkdtempSync(join(os.tmpdir(), 'tashil-bench-smoke-'));
  report = await runBench({ mode: 'smoke', outDir: join(dir, 'results'), cacheDir: join(dir, 'cache') });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const figuresOf = (section: number) => report.figures.filter((figure) => figure.section === section);

test.each([
  [
    1,
    [
      'raiseObstacle, concurrency 1',
      'raiseObstacle, concurrency 16',
      'registerUnit (2 events, 2 streams), concurrency 16',
      'changeUnitActivityStatus on a unit with a 300-event stream',
      'the floor: bare Apollo + the durable append alone',
      'the floor: bare Apollo + the durable append (group commit, FULL) + a row in each of the ',
      'raiseObstacle, concurrency 16, against the floor with ',
    ],
  ],
  [
    2,
    [
      'a unit with its 50-entry history, concurrency 16, repeat reads, cache hits',
      'obstacle list, a page of 50, concurrency 16, repeat reads, cache hits',
      'a unit with its 50-entry history, concurrency 16, cache off (TASHIL_RESPONSE_CACHE_MB=0)',
      'obstacle list, a page of 50, concurrency 16, cache off (TASHIL_RESPONSE_CACHE_MB=0)',
      'a unit with a 300-entry history, its first 50, concurrency 16, repeat reads, cache hits',
      'a unit with a 300-entry history, its first 50, concurrency 16, cache off (TASHIL_RESPONSE_CACHE_MB=0)',
    ],
  ],
  [3, ['single-event appends, one writer', 'single-event appends, 64 concurrent writers (group commit)', '100-event appends']],
  [
    4,
    [
      'rebuild of ',
      'the floor: read every event and parse',
      'the floor: read, parse and write one row per event',
      'the rebuild, against that floor',
      'the same rebuild, against the raw insert rate',
      'rebuild memory: RSS at its peak',
    ],
  ],
  [5, ['replay with state and diff at every step', 'state as of the last revision (fold only)']],
  [6, ['time until ready', 'RSS when ready', 'case list, a page of 50, ', 'county dashboard, ', 'search for a common word, ']],
])('section %i measured every figure, each beside its yardstick', (section, names) => {
  const figures = figuresOf(section);
  for (const name of names) expect(figures.map((f) => f.name).some((n) => n.startsWith(name))).toBe(true);
  for (const figure of figures) {
    expect(Number.isFinite(figure.value) && figure.value > 0).toBe(true);
    if (section !== 5) {
      expect(Number.isFinite(figure.baseline!.value) && figure.baseline!.value > 0).toBe(true);
      expect(Number.isFinite(figure.ratio)).toBe(true);
    }
    if (figure.target) expect(typeof figure.met).toBe('boolean');
  }
});

test('mutations and queries under load answered without errors', () => {
  expect(report.notes.filter((note) => /failed requests/.test(note))).toEqual([]);
});

test('repeat reads were answered from the response cache, gzipped as a browser asks; the other rows carry no target', () => {
  expect(report.notes.filter((note) => /cache hits/.test(note))).toEqual([]);
  const rows = figuresOf(2);
  const hits = rows.filter((f) => f.name.includes('cache hits'));
  expect(hits).toHaveLength(4);
  for (const row of hits) expect(row.detail).toMatch(/[1-9]\d* cache hits on the server/);
  const browser = rows.filter((f) => f.name.endsWith('gzip as a browser asks'));
  expect(browser).toHaveLength(6);
  for (const row of browser) expect(row.detail).toMatch(/answers of [\d.]+ KB, [\d.]+ KB gzipped/);
  for (const row of hits) expect(row.target).toEqual(browser.includes(row) ? { atLeast: 0.7 } : undefined);
  const plain = hits.filter((f) => !browser.includes(f));
  expect(plain.map((f) => f.name)).toEqual(['a unit with its 50-entry history, concurrency 16, repeat reads, cache hits, no Accept-Encoding (answered plain)']);
  expect(plain[0]!.detail).not.toMatch(/gzipped/);
  for (const row of rows.filter((f) => f.name.includes('cache off'))) expect(row.target).toBeUndefined();
});

test('writes the table as Markdown and the figures as JSON, with the machine they ran on', () => {
  expect(existsSync(report.files.markdown)).toBe(true);
  const markdown = readFileSync(report.files.markdown, 'utf8');
  expect(markdown).toContain('| # | measured | Tashil | yardstick (same run) | ratio | target | |');
  for (const figure of report.figures) expect(markdown).toContain(figure.name);
  const json = JSON.parse(readFileSync(report.files.json, 'utf8')) as BenchReport;
  expect(json.figures).toHaveLength(report.figures.length);
  expect(json.machine).toMatchObject({ nproc: expect.any(Number), cpu: expect.any(String), node: process.version });
  expect(json.mode).toBe('smoke');
});

test('caches the generated history for the next run, and says so', async () => {
  expect(report.notes.some((note) => note.includes('generated') && note.includes('cached in'))).toBe(true);
  const size = report.figures.find((f) => f.section === 6 && f.name.startsWith('time until ready'))!.name.match(/([\d,]+) events/)![1]!;
  const again = await cachedStore(join(dir, 'cache'), Number(size.replace(/,/g, '')));
  expect(again).toMatchObject({ cached: true, seconds: 0 });
  expect(again.events).toBeGreaterThanOrEqual(Number(size.replace(/,/g, '')));
});

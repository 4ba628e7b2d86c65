/**
 * `tashil audit export` as a real process on the seeded store: every event
 * as recorded with its hashes, in JSON Lines and in CSV that any RFC 4180
 * reader takes back (Persian text, commas, quotes and line breaks included),
 * self-verifying (the hashes recompute from the export alone), and written
 * page by page.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { systemPrincipal } from '../../src/auth/principal';
import { FacilitationCommands } from '../../src/commands/facilitation';
import { EXPORT_COLUMNS, exportEvents, parseCsv } from '../../src/audit/export';
import { eventHash, verifyChain } from '../../src/audit/hash-chain';
import type { EventMetadata, EventStore, RecordedEvent } from '../../src/eventstore/event-store';
import { copyOf, openStore, runCli, seededDataDir, withFile } from './seeded';

const TRICKY_NAME = 'شرکت «نمونه»، "کیفیت برتر", خط اول\nخط دوم; ۱۴۰۳/۰۷/۰۱';
const TRICKY_REASON = 'قطع گاز، "کمبود نقدینگی"\r\nو تعطیلی خط ۲, موقت';
let dir: string;
let total: number;

beforeAll(async () => {
  const seeded = await seededDataDir();
  dir = copyOf(seeded);
  rmSync(seeded, { recursive: true, force: true });
  // One event whose text needs every kind of CSV quoting.
  const store = openStore(dir);
  const commands = new FacilitationCommands(store);
  const ctx = { principal: systemPrincipal('export-test'), now: new Date('2024-12-01T08:00:00Z') };
  const unit = await commands.registerUnit(
    { name: TRICKY_NAME, nationalId: '10100009999', sector: 'صنایع "غذایی", لبنی', province: 'تهران', county: 'پاکدشت', activityStatus: 'ACTIVE' },
    ctx,
  );
  // The reason is exported as plain text (not JSON): its line break, comma and quotes need the CSV quoting.
  await commands.changeUnitActivityStatus({ unitId: unit.id, status: 'SEMI_ACTIVE', reason: TRICKY_REASON }, ctx);
  await store.close();
  total = withFile(dir, (db) => (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Exported {
  position: string;
  streamName: string;
  revision: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  hash: string | null;
  previousHash: string | null;
  actor: string;
}

const asRecorded = (r: Exported): RecordedEvent => ({
  id: 'x',
  type: r.type,
  data: r.data,
  metadata: r.metadata,
  schemaVersion: r.schemaVersion,
  streamName: r.streamName,
  revision: BigInt(r.revision),
  position: BigInt(r.position),
  recordedAt: new Date(0),
});

test('JSON Lines: every event in position order, with its hashes, verifiable from the export alone', () => {
  const result = runCli(['audit', 'export'], dir);
  expect(result.status).toBe(0);
  const records = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Exported);
  expect(records).toHaveLength(total);
  expect(records.map((r) => Number(r.position))).toEqual([...records.map((r) => Number(r.position))].sort((a, b) => a - b));
  expect(Object.keys(records[0]!)).toEqual([...EXPORT_COLUMNS]);
  for (const r of records) {
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash({ streamName: r.streamName, revision: BigInt(r.revision), type: r.type, schemaVersion: r.schemaVersion, data: r.data, metadata: r.metadata })).toBe(r.hash);
  }
  // The chains hold on the exported records too.
  const byStream = new Map<string, RecordedEvent[]>();
  for (const r of records) byStream.set(r.streamName, [...(byStream.get(r.streamName) ?? []), asRecorded(r)]);
  for (const events of byStream.values()) expect(verifyChain(events).ok).toBe(true);
  expect(records.find((r) => r.data.name === TRICKY_NAME)).toMatchObject({ actor: 'export-test', type: 'UnitRegistered' });
});

test('CSV to a file: RFC 4180 quoting keeps Persian text, commas, quotes and line breaks intact', () => {
  const out = join(dir, 'export.csv');
  const result = runCli(['audit', 'export', '--format', 'csv', '--out', out], dir);
  expect(result.status).toBe(0);
  expect(result.stderr).toMatch(new RegExp(`exported ${total} events`));
  const text = readFileSync(out, 'utf8');
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual([...EXPORT_COLUMNS]);
  expect(rows).toHaveLength(total);

  const json = runCli(['audit', 'export', '--format', 'jsonl'], dir).stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  rows.forEach((row, i) => {
    const record = Object.fromEntries(header!.map((column, c) => [column, row[c]]));
    const expected = json[i]!;
    for (const column of EXPORT_COLUMNS) {
      const value = expected[column];
      expect(record[column]).toBe(value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
  });
  const tricky = rows.find((row) => row[header!.indexOf('data')]!.includes('کیفیت برتر'))!;
  expect(JSON.parse(tricky[header!.indexOf('data')]!).name).toBe(TRICKY_NAME);
  expect(rows.filter((row) => row[header!.indexOf('reason')] === TRICKY_REASON)).toHaveLength(1);
  expect(text).toContain(`"${TRICKY_REASON.replace(/"/g, '""')}"`);
  // The raw text really needed the quoting: the name's quotes are doubled inside a quoted field.
  expect(text).toContain('\\""کیفیت برتر\\""');
});

test('one stream only, with --stream', () => {
  const stream = withFile(dir, (db) => (db.prepare(`SELECT stream FROM events GROUP BY stream ORDER BY COUNT(*) DESC LIMIT 1`).get() as { stream: string }).stream);
  const count = withFile(dir, (db) => (db.prepare(`SELECT COUNT(*) AS n FROM events WHERE stream = ?`).get(stream) as { n: number }).n);
  const records = runCli(['audit', 'export', '--stream', stream], dir).stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Exported);
  expect(records).toHaveLength(count);
  expect(records.map((r) => r.revision)).toEqual(records.map((_, i) => String(i)));
  expect(new Set(records.map((r) => r.streamName))).toEqual(new Set([stream]));
});

test('the export pages through the store: it never asks for more than one page at a time', async () => {
  const store = openStore(dir);
  const pages: (number | undefined)[] = [];
  const counting: EventStore = {
    ...store,
    kind: store.kind,
    readAll: (options) => {
      pages.push(options?.maxCount);
      return store.readAll(options);
    },
    readStream: (name, options) => store.readStream(name, options),
    appendToStream: (...args) => store.appendToStream(...args),
    subscribeToAll: (options) => store.subscribeToAll(options),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
  const out = new PassThrough();
  let written = '';
  out.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  const count = await exportEvents(counting, out, { pageSize: 4 });
  await store.close();
  expect(count).toBe(total);
  expect(pages.every((maxCount) => maxCount === 4)).toBe(true);
  expect(pages.length).toBe(Math.floor(total / 4) + 1);
  expect(written.trimEnd().split('\n')).toHaveLength(total);
});

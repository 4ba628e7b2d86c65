/**
 * Proof of integrity: the seed scenarios recorded through the real commands,
 * then the SQLite file edited behind the application's back — a row's data
 * changed, a middle row deleted, two rows' contents swapped, an actor
 * rewritten — and each is found, at the right stream and revision. What the
 * chain alone cannot see (a stream's newest events deleted, a whole chain
 * recomputed) is caught by heads published earlier.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventHash, verifyChain, verifyStore, type VerifyReport } from '../../src/audit/hash-chain';
import type { EventMetadata } from '../../src/eventstore/event-store';
import { copyOf, longestStream, openStore, rowsOf, runCli, seededDataDir, withFile } from './seeded';

let seeded: string;
const dirs: string[] = [];
const copy = (): string => {
  const dir = copyOf(seeded);
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  seeded = await seededDataDir();
  dirs.push(seeded);
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const verify = async (dir: string, stream?: string): Promise<VerifyReport> => {
  const store = openStore(dir);
  try {
    return await verifyStore(store, stream === undefined ? {} : { stream });
  } finally {
    await store.close();
  }
};

/** Verifies the whole store and the stream alone; both must name the same first broken link. */
const expectBroken = async (dir: string, expected: { streamName: string; revision: number; reason: string; position?: number }) => {
  for (const report of [await verify(dir), await verify(dir, expected.streamName)]) {
    expect(report.ok).toBe(false);
    expect(report.firstBrokenLink).toMatchObject({ streamName: expected.streamName, revision: BigInt(expected.revision), reason: expected.reason });
    if (expected.position !== undefined) expect(report.firstBrokenLink!.position).toBe(BigInt(expected.position));
  }
};

test('an untouched store verifies clean: every event hashed, every stream chained', async () => {
  const report = await verify(seeded);
  expect(report).toMatchObject({ ok: true, firstBrokenLink: null, brokenLinks: [], eventsUnhashed: 0 });
  const total = withFile(seeded, (db) => db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT stream) AS s FROM events').get() as { n: number; s: number });
  expect(report.eventsChecked).toBe(total.n);
  expect(report.streamsChecked).toBe(total.s);
  expect(report.heads).toHaveLength(total.s);
  for (const head of report.heads) expect(head.hash).toMatch(/^[0-9a-f]{64}$/);

  // The chain as recorded: revision 0 starts from null, every later event names its predecessor.
  const rows = rowsOf(seeded, longestStream(seeded));
  rows.forEach((row, i) => {
    const metadata = JSON.parse(row.metadata) as EventMetadata;
    expect(metadata.previousHash).toBe(i === 0 ? null : (JSON.parse(rows[i - 1]!.metadata) as EventMetadata).hash);
  });
});

test("editing a row's data is found at that row", async () => {
  const dir = copy();
  const stream = longestStream(dir);
  const target = rowsOf(dir, stream)[2]!;
  withFile(dir, (db) => db.prepare(`UPDATE events SET data = json_set(data, '$.venue', 'جای دیگر') WHERE position = ?`).run(target.position));
  await expectBroken(dir, { streamName: stream, revision: 2, reason: 'CONTENT_ALTERED', position: target.position });
});

test('deleting a middle row is found at the row after the gap', async () => {
  const dir = copy();
  const stream = longestStream(dir);
  const rows = rowsOf(dir, stream);
  withFile(dir, (db) => db.prepare(`DELETE FROM events WHERE position = ?`).run(rows[3]!.position));
  await expectBroken(dir, { streamName: stream, revision: 4, reason: 'MISSING_EVENT', position: rows[4]!.position });
  expect((await verify(dir)).firstBrokenLink).toMatchObject({ expected: '3', actual: '4' });
});

test("swapping two rows' contents (data and metadata) within a stream is found at the earlier one", async () => {
  const dir = copy();
  const stream = longestStream(dir);
  const [, a, b] = rowsOf(dir, stream);
  withFile(dir, (db) => {
    const set = db.prepare(`UPDATE events SET type = ?, data = ?, metadata = ? WHERE position = ?`);
    db.transaction(() => {
      set.run(b!.type, b!.data, b!.metadata, a!.position);
      set.run(a!.type, a!.data, a!.metadata, b!.position);
    })();
  });
  await expectBroken(dir, { streamName: stream, revision: 1, reason: 'CONTENT_ALTERED', position: a!.position });
});

test('changing the actor in the metadata is found at that row', async () => {
  const dir = copy();
  const stream = longestStream(dir);
  const target = rowsOf(dir, stream)[1]!;
  withFile(dir, (db) => db.prepare(`UPDATE events SET metadata = json_set(metadata, '$.actor', 'someone-else') WHERE position = ?`).run(target.position));
  await expectBroken(dir, { streamName: stream, revision: 1, reason: 'CONTENT_ALTERED', position: target.position });
  const link = (await verify(dir)).firstBrokenLink!;
  expect(link.expected).toBe((JSON.parse(target.metadata) as EventMetadata).hash);
  expect(link.actual).not.toBe(link.expected);
});

test('removing the hash fields of a middle row breaks the link to the next one', async () => {
  const dir = copy();
  const stream = longestStream(dir);
  const target = rowsOf(dir, stream)[2]!;
  withFile(dir, (db) =>
    db.prepare(`UPDATE events SET metadata = json_remove(metadata, '$.hash', '$.previousHash'), data = json_set(data, '$.venue', 'x') WHERE position = ?`).run(target.position),
  );
  await expectBroken(dir, { streamName: stream, revision: 3, reason: 'CHAIN_BROKEN' });
  expect((await verify(dir)).eventsUnhashed).toBe(1);
});

test('tampering in two streams reports the first by position and one break per stream', async () => {
  const dir = copy();
  const streams = withFile(dir, (db) => (db.prepare(`SELECT stream FROM events GROUP BY stream HAVING COUNT(*) >= 2 ORDER BY MIN(position)`).all() as { stream: string }[]).map((r) => r.stream));
  const [first, second] = [rowsOf(dir, streams[0]!)[1]!, rowsOf(dir, streams[1]!)[0]!];
  withFile(dir, (db) => {
    for (const row of [first, second]) db.prepare(`UPDATE events SET metadata = json_set(metadata, '$.actor', 'x') WHERE position = ?`).run(row.position);
  });
  const report = await verify(dir);
  expect(report.brokenLinks.map((l) => l.streamName).sort()).toEqual([streams[0], streams[1]].sort());
  const lower = first.position < second.position ? first : second;
  expect(report.firstBrokenLink).toMatchObject({ streamName: lower.stream, position: BigInt(lower.position) });
});

describe('what the chain alone cannot see, and how published heads close the gap', () => {
  test("deleting a stream's newest event leaves a valid chain, but not the published head", async () => {
    const dir = copy();
    const stream = longestStream(dir);
    const published = (await verify(dir)).heads;
    const rows = rowsOf(dir, stream);
    withFile(dir, (db) => db.prepare(`DELETE FROM events WHERE position = ?`).run(rows[rows.length - 1]!.position));

    expect((await verify(dir)).ok).toBe(true);
    const store = openStore(dir);
    const report = await verifyStore(store, { publishedHeads: published.map((h) => ({ streamName: h.streamName, revision: h.revision, hash: h.hash! })) });
    await store.close();
    expect(report.ok).toBe(false);
    expect(report.firstBrokenLink).toMatchObject({ streamName: stream, revision: BigInt(rows.length - 1), reason: 'HEAD_MISMATCH', position: null });
  });

  test('a whole stream rewritten with a recomputed chain verifies clean, but not against the published head', async () => {
    const dir = copy();
    const stream = longestStream(dir);
    const published = (await verify(dir)).heads;
    // The forger edits revision 0 and recomputes every hash after it, consistently.
    const rows = rowsOf(dir, stream);
    withFile(dir, (db) => {
      let previous: string | null = null;
      for (const row of rows) {
        const data = JSON.parse(row.data) as Record<string, unknown>;
        if (row.revision === 0) data.venue = 'جای دیگر';
        const { hash: _old, ...rest } = JSON.parse(row.metadata) as EventMetadata;
        const metadata: EventMetadata = { ...rest, previousHash: previous };
        const hash = eventHash({ streamName: stream, revision: BigInt(row.revision), type: row.type, schemaVersion: row.schema_version, data, metadata });
        db.prepare(`UPDATE events SET data = ?, metadata = ? WHERE position = ?`).run(JSON.stringify(data), JSON.stringify({ ...metadata, hash }), row.position);
        previous = hash;
      }
    });

    expect((await verify(dir)).ok).toBe(true);
    const store = openStore(dir);
    const report = await verifyStore(store, { publishedHeads: published.filter((h) => h.streamName === stream).map((h) => ({ ...h, hash: h.hash! })) });
    await store.close();
    expect(report.firstBrokenLink).toMatchObject({ streamName: stream, reason: 'HEAD_MISMATCH', expected: published.find((h) => h.streamName === stream)!.hash });
  });
});

test('verifyChain is pure: the same events give the same report, and an empty stream is intact', async () => {
  const store = openStore(seeded);
  const events = await store.readStream(longestStream(seeded));
  await store.close();
  expect(verifyChain(events)).toEqual(verifyChain(events));
  expect(verifyChain([])).toMatchObject({ ok: true, streamsChecked: 0, eventsChecked: 0, heads: [] });
  expect(verifyChain(events.slice(1)).firstBrokenLink).toMatchObject({ reason: 'MISSING_EVENT', revision: 1n });
});

describe('tashil audit verify / heads as a real process', () => {
  test('exit 0 and a JSON report on an untouched store; exit 3 naming the broken link after tampering', () => {
    const clean = runCli(['audit', 'verify'], seeded);
    expect(clean.stderr).toBe('');
    expect(clean.status).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ ok: true, firstBrokenLink: null, eventsUnhashed: 0 });

    const dir = copy();
    const stream = longestStream(dir);
    const target = rowsOf(dir, stream)[2]!;
    withFile(dir, (db) => db.prepare(`UPDATE events SET data = json_set(data, '$.venue', 'x') WHERE position = ?`).run(target.position));
    const broken = runCli(['audit', 'verify'], dir);
    expect(broken.status).toBe(3);
    expect(JSON.parse(broken.stdout).firstBrokenLink).toMatchObject({ streamName: stream, revision: '2', position: String(target.position), reason: 'CONTENT_ALTERED' });

    // One stream: the broken one fails, an untouched one passes.
    expect(runCli(['audit', 'verify', '--stream', stream], dir).status).toBe(3);
    const other = withFile(dir, (db) => (db.prepare(`SELECT stream FROM events WHERE stream <> ? LIMIT 1`).get(stream) as { stream: string }).stream);
    const one = runCli(['audit', 'verify', '--stream', other], dir);
    expect(one.status).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ ok: true, streamsChecked: 1, stream: other });
  });

  test('heads published with `audit heads` catch a deleted newest event; a doctored heads file is refused', () => {
    const dir = copy();
    const headsFile = join(dir, 'heads.json');
    const heads = runCli(['audit', 'heads', '--out', headsFile], dir);
    expect(heads.status).toBe(0);
    const published = JSON.parse(readFileSync(headsFile, 'utf8'));
    expect(published).toMatchObject({ ok: true, digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(runCli(['audit', 'verify', '--heads', headsFile], dir).status).toBe(0);

    const stream = longestStream(dir);
    withFile(dir, (db) => db.prepare(`DELETE FROM events WHERE position = (SELECT MAX(position) FROM events WHERE stream = ?)`).run(stream));
    expect(runCli(['audit', 'verify'], dir).status).toBe(0);
    const checked = runCli(['audit', 'verify', '--heads', headsFile], dir);
    expect(checked.status).toBe(3);
    expect(JSON.parse(checked.stdout).firstBrokenLink).toMatchObject({ streamName: stream, reason: 'HEAD_MISMATCH' });

    published.heads[0].hash = '0'.repeat(64);
    writeFileSync(headsFile, JSON.stringify(published));
    const doctored = runCli(['audit', 'verify', '--heads', headsFile], dir);
    expect(doctored.status).toBe(1);
    expect(doctored.stderr).toMatch(/digest/);
  });

  test('usage errors exit 2; a folder without an event store exits 1 instead of reporting "intact"', () => {
    expect(runCli(['audit', 'verify', '--bogus', 'x'], seeded).status).toBe(2);
    expect(runCli(['audit', 'export', '--format', 'xml'], seeded).status).toBe(2);
    const empty = copy();
    rmSync(join(empty, 'events.sqlite'), { force: true });
    const missing = runCli(['audit', 'verify'], empty);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no event store/);
  });
});

/**
 * What the data folder and the files the CLI writes give away on a shared
 * machine, on real files in a temporary folder and with the real CLI
 * (dist/src/cli.js, so `npm run build` first):
 * - the data folder, the event store and every projection's file (and their
 *   -wal and -shm) are owner-only (0700 / 0600) under the usual umask 022;
 * - `backup` refuses a symbolic link at its temporary path or at the target,
 *   and writes 0600; `restore` writes the event store 0600;
 * - `audit export|heads --out` and `projections export --out` refuse an
 *   existing file unless `--force` (a symbolic link always), and write 0600;
 * - CSV text cells a spreadsheet would run as a formula get a leading `'`,
 *   numbers stay numbers.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCsv } from '../../src/audit/export';
import type { EventMetadata } from '../../src/eventstore/event-store';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import { defineProjection } from '../../src/projection/projection';
import { ProjectionRuntime } from '../../src/projection/runtime';

const REPO_ROOT = resolve(__dirname, '..', '..');
const CLI = join(REPO_ROOT, 'dist', 'src', 'cli.js');

/** `node dist/src/cli.js …` on `dataDir`, without the developer's TASHIL_* settings. */
const cli = (args: string[], dataDir: string): { status: number | null; stdout: string; stderr: string } => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('TASHIL_') && key !== 'NODE_ENV') env[key] = value;
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...env, TASHIL_DATA_DIR: dataDir, TASHIL_EVENT_STORE: 'sqlite' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

const mode = (path: string): number => statSync(path).mode & 0o777;
const octal = (path: string): string => mode(path).toString(8);

const metadata = (extra: Partial<EventMetadata> = {}): EventMetadata =>
  ({ actor: 'files-test', command: 'Test', commandId: 'c1', correlationId: 'c1', causationId: 'c1', ...extra }) as EventMetadata;

let root: string;
let previousUmask: number;
beforeAll(() => {
  // The usual umask: what SQLite and fs would create 0644 / 0755 under. Child processes inherit it.
  previousUmask = process.umask(0o022);
  root = mkdtempSync(join(tmpdir(), 'tashil-files-'));
});
afterAll(() => {
  process.umask(previousUmask);
  rmSync(root, { recursive: true, force: true });
});

/** A data folder (created by the CLI) with a few events, one with a reason a spreadsheet would run. */
const dataDirWithEvents = async (name: string): Promise<string> => {
  const dataDir = join(root, name, 'data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const store = createSqliteEventStore({ path: join(dataDir, 'events.sqlite'), synchronous: 'NORMAL' });
  await store.appendToStream('unit-1', [{ id: `${name}-e1`, type: 'Noted', data: { note: '=1+2' }, metadata: metadata({ reason: '=HYPERLINK("http://evil")' }) }], { expectedRevision: 'no_stream' });
  await store.close();
  return dataDir;
};

describe('owner-only data files', () => {
  test('the event store file and its -wal and -shm are 0600', async () => {
    const file = join(root, 'store', 'events.sqlite');
    mkdirSync(join(root, 'store'));
    const store = createSqliteEventStore({ path: file, synchronous: 'NORMAL' });
    try {
      await store.appendToStream('s-1', [{ id: 'store-e1', type: 'Noted', data: {}, metadata: metadata() }], { expectedRevision: 'no_stream' });
      // Open, in WAL mode: SQLite created the -wal and -shm with the mode of the database file.
      expect([octal(file), octal(`${file}-wal`), octal(`${file}-shm`)]).toEqual(['600', '600', '600']);
    } finally {
      await store.close();
    }
  });

  test("a projection's folder is 0700 and its file, -wal and -shm are 0600", async () => {
    const base = join(root, 'projection');
    mkdirSync(base);
    const store = createSqliteEventStore({ path: join(base, 'events.sqlite'), synchronous: 'NORMAL' });
    await store.appendToStream('s-1', [{ id: 'proj-e1', type: 'Noted', data: { note: 'x' }, metadata: metadata() }], { expectedRevision: 'no_stream' });
    const directory = join(base, 'projections');
    const notes = defineProjection({
      name: 'notes',
      version: 1,
      description: 'notes',
      schema: 'CREATE TABLE notes (id TEXT PRIMARY KEY, note TEXT);',
      handlers: { Noted: (event, db) => void db.run('INSERT OR IGNORE INTO notes (id, note) VALUES (?, ?)', [event.id, event.data.note]) },
    });
    const runtime = new ProjectionRuntime(store, { directory, projections: [notes], bootId: null, stallCheckMs: 0 });
    try {
      await runtime.start();
      const file = join(directory, 'notes.v1.sqlite');
      expect(octal(directory)).toBe('700');
      expect([octal(file), octal(`${file}-wal`), octal(`${file}-shm`)]).toEqual(['600', '600', '600']);
    } finally {
      await runtime.stop();
      await store.close();
    }
  });

  test('the data folder a CLI run creates is 0700, with the event store 0600', () => {
    const dataDir = join(root, 'fresh', 'data');
    const r = cli(['seed'], dataDir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(octal(dataDir)).toBe('700');
    expect(octal(join(dataDir, 'events.sqlite'))).toBe('600');
  });
});

describe('backup and restore', () => {
  test('a symbolic link at the temporary path or at the target is refused, never followed', async () => {
    const dataDir = await dataDirWithEvents('backup');
    const out = join(root, 'backup', 'out');
    mkdirSync(out);
    const victim = join(root, 'backup', 'victim.txt');
    writeFileSync(victim, 'not yours\n');

    const target = join(out, 'tashil.backup.sqlite');
    symlinkSync(victim, `${target}.partial`);
    const refused = cli(['backup', target], dataDir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/\.partial is a symbolic link: refusing to write through it/);
    expect(readFileSync(victim, 'utf8')).toBe('not yours\n');
    expect(existsSync(target)).toBe(false);
    expect(lstatSync(`${target}.partial`).isSymbolicLink()).toBe(true);

    // A dangling link at the target itself (existsSync would say "nothing there").
    const dangling = join(out, 'dangling.sqlite');
    symlinkSync(join(root, 'backup', 'nowhere'), dangling);
    const refusedTarget = cli(['backup', dangling], dataDir);
    expect(refusedTarget.status).toBe(1);
    expect(refusedTarget.stderr).toMatch(/dangling\.sqlite exists: choose a new file name/);
    expect(existsSync(join(root, 'backup', 'nowhere'))).toBe(false);

    // An ordinary backup: 0600, no temporary file left; a restore writes the store 0600 too.
    const good = join(out, 'good.sqlite');
    const ok = cli(['backup', good], dataDir);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ events: 1 });
    expect(octal(good)).toBe('600');
    expect(existsSync(`${good}.partial`)).toBe(false);

    const restoredDir = join(root, 'backup', 'restored');
    const restored = cli(['restore', good], restoredDir);
    expect(restored.status).toBe(0);
    expect(octal(restoredDir)).toBe('700');
    expect(octal(join(restoredDir, 'events.sqlite'))).toBe('600');
  });
});

describe('exports to a named file', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await dataDirWithEvents('exports');
    // A read model as the runtime leaves it, with values a spreadsheet would run, and real numbers.
    mkdirSync(join(dataDir, 'projections'), { mode: 0o700 });
    const db = new Database(join(dataDir, 'projections', 'sheet.v1.sqlite'));
    db.exec('CREATE TABLE cells (id INTEGER PRIMARY KEY, label TEXT, amount INTEGER, ratio REAL)');
    const insert = db.prepare('INSERT INTO cells (id, label, amount, ratio) VALUES (?, ?, ?, ?)');
    const labels = ['=HYPERLINK("http://evil","x")', '+98 21 5555', '-5', '@SUM(A1:A9)', '\tcmd', '\rcmd', 'کارخانه', 'a=b'];
    labels.forEach((label, i) => insert.run(i + 1, label, -5 - i, -2.5));
    db.close();
  });

  test('audit export refuses an existing file unless --force, and writes 0600', () => {
    const file = join(root, 'exports', 'events.jsonl');
    writeFileSync(file, 'keep me\n');
    const refused = cli(['audit', 'export', '--out', file], dataDir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${file} already exists: choose another file, or pass --force to overwrite it`);
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');

    const forced = cli(['audit', 'export', '--out', file, '--force'], dataDir);
    expect(forced.status).toBe(0);
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).type)).toEqual(['Noted']);
    expect(octal(file)).toBe('600');

    const fresh = join(root, 'exports', 'heads.json');
    expect(cli(['audit', 'heads', '--out', fresh], dataDir).status).toBe(0);
    expect(octal(fresh)).toBe('600');
    expect(cli(['audit', 'heads', '--out', fresh], dataDir).stderr).toContain('pass --force');

    // --force does not write through a symbolic link.
    const victim = join(root, 'exports', 'victim.txt');
    writeFileSync(victim, 'not yours\n');
    const link = join(root, 'exports', 'link.jsonl');
    symlinkSync(victim, link);
    const viaLink = cli(['audit', 'export', '--out', link, '--force'], dataDir);
    expect(viaLink.status).toBe(1);
    expect(viaLink.stderr).toContain('is a symbolic link: refusing to write through it');
    expect(readFileSync(victim, 'utf8')).toBe('not yours\n');

    expect(cli(['audit', 'help'], dataDir).stderr).toMatch(/--out FILE \[--force\][\s\S]*unless --force/);
  });

  test('projections export refuses an existing file unless --force, and writes 0600', () => {
    const file = join(root, 'exports', 'cells.csv');
    writeFileSync(file, 'keep me\n');
    const refused = cli(['projections', 'export', 'sheet', '--out', file], dataDir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('pass --force to overwrite it');
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
    const forced = cli(['projections', 'export', 'sheet', '--out', file, '--force'], dataDir);
    expect(forced.status).toBe(0);
    expect(forced.stderr).toBe('8 rows\n');
    expect(octal(file)).toBe('600');
    expect(cli(['help'], dataDir).stderr).toMatch(/projections export <name> \[--table T\] \[--out FILE \[--force\]\]/);
  });

  test('CSV text that a spreadsheet would run gets a leading quote; numbers stay numbers', () => {
    const file = join(root, 'exports', 'cells-neutral.csv');
    expect(cli(['projections', 'export', 'sheet', '--out', file], dataDir).status).toBe(0);
    const text = readFileSync(file, 'utf8');
    // Every neutralised cell is quoted, so no reader sees a bare leading = + - @.
    expect(text).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(text).toContain(`3,"'-5",-7,-2.5\r\n`);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['id', 'label', 'amount', 'ratio']);
    expect(rows.slice(1).map((r) => r[1])).toEqual([
      `'=HYPERLINK("http://evil","x")`,
      `'+98 21 5555`,
      `'-5`,
      `'@SUM(A1:A9)`,
      `'\tcmd`,
      `'\rcmd`,
      'کارخانه',
      'a=b',
    ]);
    expect(rows.slice(1).map((r) => r[2])).toEqual(['-5', '-6', '-7', '-8', '-9', '-10', '-11', '-12']);
    expect(rows.slice(1).every((r) => r[3] === '-2.5')).toBe(true);

    // The audit export's text columns too; its data and metadata JSON (what the hashes cover) are unchanged.
    const audit = cli(['audit', 'export', '--format', 'csv'], dataDir);
    expect(audit.status).toBe(0);
    const [header, row] = parseCsv(audit.stdout);
    const cell = (name: string): string => row![header!.indexOf(name)]!;
    expect(cell('reason')).toBe(`'=HYPERLINK("http://evil")`);
    expect(JSON.parse(cell('data'))).toEqual({ note: '=1+2' });
    expect(JSON.parse(cell('metadata')).reason).toBe('=HYPERLINK("http://evil")');
  });
});

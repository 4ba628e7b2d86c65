/**
 * `tashil audit …`: integrity checks and archives from the command line, on
 * the same data folder as the server (also while it runs). Reads the events
 * as they were recorded; never writes an event.
 */
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { openNewFile } from '../private-files';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { openEventStore } from '../app';
import type { Config } from '../config';
import { EVENTS_FILE, loadConfig } from '../config';
import type { EventStore } from '../eventstore/event-store';
import { exportEvents, type ExportFormat } from './export';
import { headsDigest, verifyStore, type PublishedHead, type StreamHead, type VerifyReport } from './hash-chain';

export const AUDIT_USAGE = `usage: tashil audit <command>

  verify  [--stream NAME] [--heads FILE]
          recompute every hash and link (exit 0: intact, 3: a broken link; prints a JSON report).
          --heads: also check heads published earlier (the output of \`audit heads\`)
  heads   [--stream NAME] [--out FILE [--force]]
          the newest event's hash of every stream (or one) and one digest over them all,
          to publish outside the system, e.g. in the minutes; verifies first (exit 3 when broken)
  export  [--stream NAME] [--format jsonl|csv] [--out FILE [--force]]
          every event as recorded, with its hashes, for archiving (default JSON Lines on stdout);
          CSV text cells starting with = + - @ (or a tab or CR) get a leading ' so spreadsheets
          do not run them as formulas

  --out writes a new file, owner-only (0600); an existing file is refused unless --force
  is given, a symbolic link always
`;

/** Exit codes: 0 intact, 1 failure, 2 usage, 3 a broken link. */
export const EXIT_BROKEN = 3;

class UsageError extends Error {}

const FLAGS: Record<string, readonly string[]> = {
  verify: ['stream', 'heads'],
  heads: ['stream', 'out', 'force'],
  export: ['stream', 'format', 'out', 'force'],
};

/** Flags that take no value. */
const SWITCHES: readonly string[] = ['force'];

const parseFlags = (command: string, args: string[]): Map<string, string> => {
  const allowed = FLAGS[command]!;
  const found = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]!;
    if (name.startsWith('--') && SWITCHES.includes(name.slice(2))) {
      if (!allowed.includes(name.slice(2))) throw new UsageError(`audit ${command} takes ${allowed.map((f) => `--${f}`).join(', ')}, not ${name}`);
      if (found.has(name.slice(2))) throw new UsageError(`${name} given twice`);
      found.set(name.slice(2), 'true');
      i--;
      continue;
    }
    const value = args[i + 1];
    if (!name.startsWith('--') || value === undefined || value.startsWith('--')) throw new UsageError(`expected --name value, got "${name}"`);
    if (!allowed.includes(name.slice(2))) throw new UsageError(`audit ${command} takes ${allowed.map((f) => `--${f}`).join(', ')}, not ${name}`);
    if (found.has(name.slice(2))) throw new UsageError(`${name} given twice`);
    found.set(name.slice(2), value);
  }
  return found;
};

/** bigints as decimal strings: positions and revisions may exceed 2^53. */
export const toJsonText = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);

const readPublishedHeads = (file: string): PublishedHead[] => {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { heads?: { streamName: string; revision: string; hash: string | null }[]; digest?: string };
  if (!Array.isArray(parsed.heads)) throw new Error(`${file}: not the output of \`tashil audit heads\` (no "heads" list)`);
  if (parsed.digest !== undefined && parsed.digest !== headsDigest(parsed.heads)) {
    throw new Error(`${file}: its heads do not give its digest; the file was changed after it was written`);
  }
  return parsed.heads
    .filter((h): h is { streamName: string; revision: string; hash: string } => typeof h.hash === 'string')
    .map((h) => ({ streamName: h.streamName, revision: BigInt(h.revision), hash: h.hash }));
};

const openForAudit = async (config: Config): Promise<EventStore> => {
  // Opening a SQLite store creates it: an auditor pointed at the wrong folder must not get "intact, 0 events".
  if (config.eventStore.kind === 'sqlite' && !existsSync(join(config.dataDir, EVENTS_FILE))) {
    throw new Error(`no event store at ${join(config.dataDir, EVENTS_FILE)} (set TASHIL_DATA_DIR)`);
  }
  return openEventStore(config);
};

/**
 * Resolves once everything written to stdout so far has reached the pipe or
 * file: the CLI exits with `process.exit`, which would drop writes still
 * queued when the reader is slow (a pipe is not always written synchronously).
 */
const flushStdout = (): Promise<void> => new Promise((resolve) => process.stdout.write('', () => resolve()));

/** `file` is created 0600 and must not exist yet (a symbolic link never), unless `force`. */
const output = (file: string | undefined, force: boolean): { out: Writable; finish(): Promise<void> } => {
  if (file === undefined) return { out: process.stdout, finish: flushStdout };
  const out = createWriteStream(file, { encoding: 'utf8', fd: openNewFile(file, { force }) });
  return {
    out,
    finish: async () => {
      out.end();
      await once(out, 'finish');
    },
  };
};

const reportJson = (report: VerifyReport, extra: Record<string, unknown> = {}): string => toJsonText({ ...extra, ...report });

const headsOutput = (store: EventStore, report: VerifyReport, heads: StreamHead[], headPosition: bigint): Record<string, unknown> => ({
  generatedAt: new Date().toISOString(),
  eventStore: store.kind,
  headPosition,
  ok: report.ok,
  firstBrokenLink: report.firstBrokenLink,
  streams: heads.length,
  digest: headsDigest(heads),
  heads,
});

/** Runs `tashil audit <argv>`; returns the exit code. */
export const runAudit = async (argv: string[]): Promise<number> => {
  const [command, ...rest] = argv;
  if (command === undefined || !(command in FLAGS)) {
    process.stderr.write(AUDIT_USAGE);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
  let flags: Map<string, string>;
  try {
    flags = parseFlags(command, rest);
    const format = flags.get('format');
    if (format !== undefined && format !== 'jsonl' && format !== 'csv') throw new UsageError(`--format must be jsonl or csv, got ${format}`);
    if (flags.has('force') && !flags.has('out')) throw new UsageError('--force only goes with --out FILE');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`tashil audit: ${error.message}\n${AUDIT_USAGE}`);
    return 2;
  }
  const stream = flags.get('stream');
  const config = loadConfig();
  const store = await openForAudit(config);
  try {
    switch (command) {
      case 'verify': {
        const headsFile = flags.get('heads');
        const publishedHeads = headsFile === undefined ? [] : readPublishedHeads(headsFile);
        const report = await verifyStore(store, { stream, publishedHeads });
        // Not an error (a whole deleted stream is only caught by published heads), but worth saying.
        if (stream !== undefined && report.eventsChecked === 0) process.stderr.write(`tashil audit: stream ${stream} has no events\n`);
        process.stdout.write(`${reportJson(report, { stream: stream ?? null, publishedHeadsChecked: publishedHeads.length })}\n`);
        await flushStdout();
        return report.ok ? 0 : EXIT_BROKEN;
      }
      case 'heads': {
        const headPosition = await store.headPosition();
        const report = await verifyStore(store, { stream });
        const { out, finish } = output(flags.get('out'), flags.has('force'));
        out.write(`${toJsonText(headsOutput(store, report, report.heads, headPosition))}\n`);
        await finish();
        return report.ok ? 0 : EXIT_BROKEN;
      }
      case 'export': {
        const { out, finish } = output(flags.get('out'), flags.has('force'));
        const count = await exportEvents(store, out, { stream, format: (flags.get('format') as ExportFormat | undefined) ?? 'jsonl' });
        await finish();
        if (flags.has('out')) process.stderr.write(`exported ${count} events to ${flags.get('out')}\n`);
        return 0;
      }
      default:
        return 2;
    }
  } finally {
    await store.close();
  }
};

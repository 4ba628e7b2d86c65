/**
 * Archiving the history outside the system: every event as it was recorded
 * (never upcast), with its hashes, as JSON Lines or CSV. Streams page by
 * page, so a whole store is exported in bounded memory.
 *
 * Each record carries the full metadata and data as JSON, so the hashes can
 * be recomputed from the export alone (docs/audit.md gives the recipe).
 */
import type { Writable } from 'node:stream';
import type { EventStore, RecordedEvent } from '../eventstore/event-store';
import { neutralised } from '../ops/csv';
import { storedEvents } from './hash-chain';

export type ExportFormat = 'jsonl' | 'csv';

/** Columns in order; the JSON Lines records use the same names. */
export const EXPORT_COLUMNS = [
  'position',
  'streamName',
  'revision',
  'eventId',
  'type',
  'schemaVersion',
  'recordedAt',
  'occurredAt',
  'actor',
  'command',
  'commandId',
  'correlationId',
  'causationId',
  'reason',
  'previousHash',
  'hash',
  'data',
  'metadata',
] as const;

type ExportRecord = Record<(typeof EXPORT_COLUMNS)[number], string | number | null | Record<string, unknown>>;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : value == null ? null : String(value));

export const exportRecord = (event: RecordedEvent): ExportRecord => ({
  // Decimal strings: positions and revisions may exceed 2^53.
  position: event.position.toString(),
  streamName: event.streamName,
  revision: event.revision.toString(),
  eventId: event.id,
  type: event.type,
  schemaVersion: event.schemaVersion,
  recordedAt: event.recordedAt.toISOString(),
  occurredAt: text(event.metadata.occurredAt),
  actor: text(event.metadata.actor),
  command: text(event.metadata.command),
  commandId: text(event.metadata.commandId),
  correlationId: text(event.metadata.correlationId),
  causationId: text(event.metadata.causationId),
  reason: text(event.metadata.reason),
  previousHash: text(event.metadata.previousHash),
  hash: text(event.metadata.hash),
  data: event.data,
  metadata: event.metadata,
});

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote, a CR or
 * an LF (or starts or ends with a space), quotes doubled. Text is written as
 * it is, Persian included; an empty field is null. Text a spreadsheet would
 * run as a formula (starting with = + - @, a tab or a CR) gets a leading `'`
 * and is quoted (see `neutralised`); the data and metadata columns are JSON
 * objects, which start with `{`, so the hashes still recompute from them.
 */
export const csvField = (value: string | number | null | Record<string, unknown>): string => {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const raw = typeof value === 'object' ? JSON.stringify(value) : value;
  const s = neutralised(raw);
  return s !== raw || /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const csvLine = (values: readonly (string | number | null | Record<string, unknown>)[]): string => `${values.map(csvField).join(',')}\r\n`;

/** Writes, waiting for the destination to drain when its buffer is full. */
const writeTo = (out: Writable, chunk: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    out.once('error', onError);
    const flushed = out.write(chunk, 'utf8', () => undefined);
    const done = (): void => {
      out.off('error', onError);
      resolve();
    };
    if (flushed) done();
    else out.once('drain', done);
  });

export interface ExportOptions {
  format?: ExportFormat;
  /** One stream; default the whole store. */
  stream?: string;
  pageSize?: number;
}

/** Writes the export to `out` (not ended); returns the number of events written. */
export const exportEvents = async (store: EventStore, out: Writable, options: ExportOptions = {}): Promise<number> => {
  const format = options.format ?? 'jsonl';
  let count = 0;
  if (format === 'csv') await writeTo(out, csvLine(EXPORT_COLUMNS));
  for await (const event of storedEvents(store, { stream: options.stream, pageSize: options.pageSize ?? 500 })) {
    const record = exportRecord(event);
    await writeTo(out, format === 'csv' ? csvLine(EXPORT_COLUMNS.map((c) => record[c])) : `${JSON.stringify(record)}\n`);
    count++;
  }
  return count;
};

/** Reads one CSV document (RFC 4180) into rows: for tests and for tools checking an archive. */
export const parseCsv = (input: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && input[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
};

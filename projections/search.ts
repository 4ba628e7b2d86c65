/**
 * Full-text search over units, zones, obstacles, meetings and commitments
 * (SQLite FTS5). Text is indexed after Persian normalisation and queries are
 * normalised the same way, so Arabic ي/ك find Persian ی/ک, a zero-width
 * non-joiner matches a space, and Persian or Arabic digits match ASCII ones.
 */
import { normalizePersian } from '../src/calendar/persian-text';
import type { CommitmentMade } from '../src/domain/commitment';
import type { MeetingScheduled } from '../src/domain/meeting';
import type { ObstacleRaised } from '../src/domain/obstacle';
import type { UnitRegistered } from '../src/domain/unit';
import type { ZoneRegistered } from '../src/domain/zone';
import type { RecordedEvent } from '../src/eventstore/event-store';
import { defineProjection, type ReadModelDb } from '../src/projection/projection';

export const SEARCH_KINDS = ['UNIT', 'ZONE', 'OBSTACLE', 'MEETING', 'COMMITMENT'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/**
 * A search ranks the items that match among this many, the most recently added
 * (an item's entry keeps the rowid of its first indexing). Ranking every match
 * of a common word costs as many matches as the history holds (55 ms for one
 * word at a million events); the latest thousand cost the same at every size,
 * and more words narrow a common one.
 */
export const SEARCH_CANDIDATES = 1000;

/** Where an item lies: the read scope of a search is applied by it (src/graphql/search.resolver.ts). */
interface Place {
  province: string;
  county: string;
}

/** Replaces an item's entry: indexing the same event twice leaves one entry. */
const index = (db: ReadModelDb, event: RecordedEvent, kind: SearchKind, id: string, place: Place, title: string, body: string[]): void => {
  const text = body.filter(Boolean).join(' — ');
  // By rowid: FTS5 finds one row by its rowid at once; `rowid IN (subquery)` cost about
  // 50 µs per item in a replay, even for an item never indexed before.
  const rowidOf = (): number | undefined => db.get<{ rowid: number }>(`SELECT rowid FROM search_items WHERE kind = ? AND id = ?`, [kind, id])?.rowid;
  const existing = rowidOf();
  if (existing !== undefined) db.run(`DELETE FROM search_index WHERE rowid = ?`, [existing]);
  // An upsert keeps the item's rowid, so the index entry keeps its key too. (No RETURNING:
  // between FTS5 writes it made the upsert five times slower than asking for the rowid after.)
  db.run(
    `INSERT INTO search_items (kind, id, province, county, title, body, position) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind, id) DO UPDATE SET province = excluded.province, county = excluded.county, title = excluded.title, body = excluded.body,
       position = excluded.position`,
    [kind, id, place.province, place.county, title, text, event.position],
  );
  const rowid = existing ?? rowidOf()!;
  db.run(`INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)`, [rowid, normalizePersian(title), normalizePersian(text)]);
};

export default defineProjection({
  name: 'search',
  // v2: every item carries its place (province, county), for the read scope.
  version: 2,
  description: 'Full-text index (FTS5) of units, zones, obstacles, meetings and commitments, Persian-normalised, each with its place.',
  schema: `
    CREATE TABLE search_items (
      rowid INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      id TEXT NOT NULL,
      province TEXT NOT NULL,
      county TEXT NOT NULL,
      title TEXT NOT NULL,
      body TEXT NOT NULL,
      position INTEGER NOT NULL,
      UNIQUE (kind, id)
    );
    CREATE VIRTUAL TABLE search_index USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
  `,
  handlers: {
    UnitRegistered: (event, db) => {
      const d = event.data as UnitRegistered['data'];
      index(db, event, 'UNIT', d.unitId, d, d.name, [d.sector, d.location ?? '', d.county, d.province, d.nationalId]);
    },
    ZoneRegistered: (event, db) => {
      const d = event.data as ZoneRegistered['data'];
      index(db, event, 'ZONE', d.zoneId, d, d.name, [d.county, d.province]);
    },
    ObstacleRaised: (event, db) => {
      const d = event.data as ObstacleRaised['data'];
      index(db, event, 'OBSTACLE', d.obstacleId, d, d.title, [d.description, d.county]);
    },
    MeetingScheduled: (event, db) => {
      const d = event.data as MeetingScheduled['data'];
      index(db, event, 'MEETING', d.meetingId, d, d.title, [d.venue, d.chair, d.county]);
    },
    CommitmentMade: (event, db) => {
      const d = event.data as CommitmentMade['data'];
      index(db, event, 'COMMITMENT', d.commitmentId, d, d.description, [d.madeBy, d.madeTo, d.agency ?? '', d.county]);
    },
  },
});

/**
 * An FTS5 query for what a user typed: every word must appear, as a word or
 * the start of one. Words are quoted, so FTS5 operators in the input are text.
 */
export const searchQuery = (text: string): string | null => {
  const words = normalizePersian(text)
    .split(/[\s\p{P}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 12);
  return words.length === 0 ? null : words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
};

/**
 * Commitments (قول / تعهد): who promised what to whom, by when, and whether it
 * was kept. Whether an open one is overdue depends on the clock, so it is not
 * stored: the query compares `due_date` with its own now. `made_to_search`
 * holds `madeTo` through `normalizePersian`, the form searches compare;
 * changing that normalisation means bumping this projection's version.
 */
import { normalizePersian } from '../src/calendar/persian-text';
import type { CommitmentBroken, CommitmentExtended, CommitmentKept, CommitmentMade } from '../src/domain/commitment';
import type { UnitRegistered } from '../src/domain/unit';
import { defineProjection } from '../src/projection/projection';

/** Times in UTC, so that SQL compares them as text in time order (events may carry any offset). */
const utc = (iso: string): string => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString();
};

export default defineProjection({
  name: 'commitments',
  version: 1,
  description: 'Commitments made in meetings and on visits, with due dates, extensions, and whether they were kept.',
  schema: `
    CREATE TABLE commitments (
      commitment_id TEXT PRIMARY KEY,
      made_by TEXT NOT NULL,
      agency TEXT,
      made_to TEXT NOT NULL,
      made_to_search TEXT NOT NULL,
      description TEXT NOT NULL,
      due_date TEXT NOT NULL,
      original_due_date TEXT NOT NULL,
      times_extended INTEGER NOT NULL DEFAULT 0,
      source_kind TEXT NOT NULL,
      source_id TEXT NOT NULL,
      province TEXT NOT NULL,
      county TEXT NOT NULL,
      zone_id TEXT,
      unit_ids TEXT NOT NULL,
      status TEXT NOT NULL,
      made_at TEXT NOT NULL,
      settled_at TEXT,
      evidence TEXT,
      revision INTEGER NOT NULL,
      position INTEGER NOT NULL
    );
    CREATE TABLE commitment_units (
      commitment_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      unit_id TEXT NOT NULL,
      unit_name TEXT,
      PRIMARY KEY (commitment_id, seq)
    );
    CREATE TABLE commitment_extensions (
      commitment_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      from_date TEXT NOT NULL,
      to_date TEXT NOT NULL,
      reason TEXT NOT NULL,
      extended_at TEXT NOT NULL,
      PRIMARY KEY (commitment_id, position)
    );
    CREATE TABLE commitment_unit_names (unit_id TEXT PRIMARY KEY, name TEXT NOT NULL);
  `,
  indexes: `
    CREATE INDEX IF NOT EXISTS commitments_made ON commitments (made_at, commitment_id);
    CREATE INDEX IF NOT EXISTS commitments_county ON commitments (county, made_at);
    CREATE INDEX IF NOT EXISTS commitments_status ON commitments (status, made_at);
    CREATE INDEX IF NOT EXISTS commitments_open_due ON commitments (due_date) WHERE status = 'OPEN';
    CREATE INDEX IF NOT EXISTS commitments_source ON commitments (source_kind, source_id);
  `,
  handlers: {
    // Names as registered, so a commitment lists its units without reading another projection.
    UnitRegistered: (event, db) => {
      const d = event.data as UnitRegistered['data'];
      db.run(`INSERT OR REPLACE INTO commitment_unit_names (unit_id, name) VALUES (?, ?)`, [d.unitId, d.name]);
    },
    CommitmentMade: (event, db) => {
      const d = event.data as CommitmentMade['data'];
      db.run(
        `INSERT INTO commitments (commitment_id, made_by, agency, made_to, made_to_search, description, due_date, original_due_date,
           source_kind, source_id, province, county, zone_id, unit_ids, status, made_at, revision, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?, ?) ON CONFLICT (commitment_id) DO NOTHING`,
        [d.commitmentId, d.madeBy, d.agency, d.madeTo, normalizePersian(d.madeTo), d.description, utc(d.dueDate), utc(d.dueDate),
          d.source.kind, d.source.id, d.province, d.county, d.zoneId, JSON.stringify(d.unitIds), utc(d.madeAt), event.revision, event.position],
      );
      d.unitIds.forEach((unitId, seq) =>
        db.run(
          `INSERT OR IGNORE INTO commitment_units (commitment_id, seq, unit_id, unit_name)
           VALUES (?, ?, ?, (SELECT name FROM commitment_unit_names WHERE unit_id = ?))`,
          [d.commitmentId, seq, unitId, unitId],
        ),
      );
    },
    CommitmentKept: (event, db) => {
      const d = event.data as CommitmentKept['data'];
      db.run(`UPDATE commitments SET status = 'KEPT', settled_at = ?, evidence = ?, revision = ?, position = ? WHERE commitment_id = ? AND position < ?`, [
        utc(d.recordedAt), d.evidence, event.revision, event.position, d.commitmentId, event.position,
      ]);
    },
    CommitmentBroken: (event, db) => {
      const d = event.data as CommitmentBroken['data'];
      db.run(`UPDATE commitments SET status = 'BROKEN', settled_at = ?, evidence = ?, revision = ?, position = ? WHERE commitment_id = ? AND position < ?`, [
        utc(d.recordedAt), d.evidence, event.revision, event.position, d.commitmentId, event.position,
      ]);
    },
    CommitmentExtended: (event, db) => {
      const d = event.data as CommitmentExtended['data'];
      db.run(
        `INSERT OR IGNORE INTO commitment_extensions (commitment_id, position, from_date, to_date, reason, extended_at) VALUES (?, ?, ?, ?, ?, ?)`,
        [d.commitmentId, event.position, utc(d.from), utc(d.to), d.reason, utc(d.extendedAt)],
      );
      db.run(
        `UPDATE commitments SET due_date = ?, times_extended = (SELECT COUNT(*) FROM commitment_extensions WHERE commitment_id = ?),
           revision = ?, position = ? WHERE commitment_id = ? AND position < ?`,
        [utc(d.to), d.commitmentId, event.revision, event.position, d.commitmentId, event.position],
      );
    },
  },
});

/** Agencies (دستگاه‌های اجرایی) as a directory needs them: current name, kind, place, status, former names. */
import type { AgencyDeactivated, AgencyRegistered, AgencyRenamed } from '../src/domain/agency';
import { defineProjection } from '../src/projection/projection';

export default defineProjection({
  name: 'agencies',
  version: 1,
  description: 'One row per agency with its current name and status, and the names it had before.',
  schema: `
    CREATE TABLE agencies (
      agency_id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL,
      province TEXT NOT NULL,
      county TEXT,
      status TEXT NOT NULL,
      registered_at TEXT NOT NULL,
      deactivated_at TEXT,
      deactivation_reason TEXT,
      revision INTEGER NOT NULL,
      position INTEGER NOT NULL
    );
    CREATE INDEX agencies_kind ON agencies (kind, registered_at, agency_id);
    CREATE INDEX agencies_place ON agencies (province, county, registered_at, agency_id);
    CREATE TABLE agency_former_names (
      position INTEGER PRIMARY KEY,
      agency_id TEXT NOT NULL,
      name TEXT NOT NULL,
      until TEXT NOT NULL
    );
    CREATE INDEX agency_former_names_agency ON agency_former_names (agency_id, position);
  `,
  // The lists' default order, and filters the schema's indexes above do not lead with.
  indexes: `
    CREATE INDEX IF NOT EXISTS agencies_registered ON agencies (registered_at, agency_id);
    CREATE INDEX IF NOT EXISTS agencies_county ON agencies (county, registered_at, agency_id);
    CREATE INDEX IF NOT EXISTS agencies_province ON agencies (province, registered_at, agency_id);
  `,
  handlers: {
    AgencyRegistered: (event, db) => {
      const d = event.data as AgencyRegistered['data'];
      db.run(
        `INSERT INTO agencies (agency_id, name, kind, province, county, status, registered_at, revision, position)
         VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?)
         ON CONFLICT (agency_id) DO NOTHING`,
        [d.agencyId, d.name, d.kind, d.province, d.county, d.registeredAt, event.revision, event.position],
      );
    },
    AgencyRenamed: (event, db) => {
      const d = event.data as AgencyRenamed['data'];
      // Old resolutions name the agency as it was called then: keep every name it had.
      db.run(`INSERT OR IGNORE INTO agency_former_names (position, agency_id, name, until) VALUES (?, ?, ?, ?)`, [
        event.position, d.agencyId, d.from, d.renamedAt,
      ]);
      db.run(`UPDATE agencies SET name = ?, revision = ?, position = ? WHERE agency_id = ? AND position <= ?`, [
        d.to, event.revision, event.position, d.agencyId, event.position,
      ]);
    },
    AgencyDeactivated: (event, db) => {
      const d = event.data as AgencyDeactivated['data'];
      db.run(
        `UPDATE agencies SET status = 'DEACTIVATED', deactivated_at = ?, deactivation_reason = ?, revision = ?, position = ?
         WHERE agency_id = ? AND position <= ?`,
        [d.deactivatedAt, d.reason, event.revision, event.position, d.agencyId, event.position],
      );
    },
  },
});

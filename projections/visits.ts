/**
 * Field visits (بازدید): who went, which units or zone they saw, what they
 * found, and the obstacles raised from the visit (`ObstacleRaised.source`).
 */
import type { ObstacleRaised } from '../src/domain/obstacle';
import type { UnitRegistered } from '../src/domain/unit';
import type { VisitFindingsRecorded, VisitRecorded } from '../src/domain/visit';
import { defineProjection } from '../src/projection/projection';

/** Times in UTC, so that SQL orders them as text in time order (events may carry any offset). */
const utc = (iso: string): string => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString();
};

export default defineProjection({
  name: 'visits',
  version: 1,
  description: 'Field visits with their visitors, units visited, findings and the obstacles raised from them.',
  schema: `
    CREATE TABLE visits (
      visit_id TEXT PRIMARY KEY,
      visited_at TEXT NOT NULL,
      province TEXT NOT NULL,
      county TEXT NOT NULL,
      zone_id TEXT,
      purpose TEXT NOT NULL,
      findings_count INTEGER NOT NULL DEFAULT 0,
      revision INTEGER NOT NULL,
      position INTEGER NOT NULL
    );
    CREATE INDEX visits_visited ON visits (visited_at, visit_id);
    CREATE INDEX visits_county ON visits (county, visited_at);
    CREATE INDEX visits_zone ON visits (zone_id, visited_at);
    CREATE TABLE visit_visitors (
      visit_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      name TEXT NOT NULL,
      agency TEXT NOT NULL,
      role TEXT,
      PRIMARY KEY (visit_id, seq)
    );
    CREATE TABLE visit_units (
      visit_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      unit_id TEXT NOT NULL,
      unit_name TEXT,
      PRIMARY KEY (visit_id, seq)
    );
    CREATE INDEX visit_units_unit ON visit_units (unit_id);
    CREATE TABLE visit_findings (
      visit_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      findings TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      PRIMARY KEY (visit_id, position)
    );
    CREATE TABLE visit_obstacles (
      visit_id TEXT NOT NULL,
      obstacle_id TEXT NOT NULL,
      title TEXT NOT NULL,
      raised_at TEXT NOT NULL,
      position INTEGER NOT NULL,
      PRIMARY KEY (visit_id, obstacle_id)
    );
    CREATE TABLE visit_unit_names (unit_id TEXT PRIMARY KEY, name TEXT NOT NULL);
  `,
  handlers: {
    // Names as registered, so a visit lists the units it saw without reading another projection.
    UnitRegistered: (event, db) => {
      const d = event.data as UnitRegistered['data'];
      db.run(`INSERT OR REPLACE INTO visit_unit_names (unit_id, name) VALUES (?, ?)`, [d.unitId, d.name]);
    },
    VisitRecorded: (event, db) => {
      const d = event.data as VisitRecorded['data'];
      db.run(
        `INSERT INTO visits (visit_id, visited_at, province, county, zone_id, purpose, revision, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (visit_id) DO NOTHING`,
        [d.visitId, utc(d.visitedAt), d.province, d.county, d.zoneId, d.purpose, event.revision, event.position],
      );
      d.visitors.forEach((v, seq) =>
        db.run(`INSERT OR IGNORE INTO visit_visitors (visit_id, seq, name, agency, role) VALUES (?, ?, ?, ?, ?)`, [
          d.visitId, seq, v.name, v.agency, v.role,
        ]),
      );
      d.unitIds.forEach((unitId, seq) =>
        db.run(
          `INSERT OR IGNORE INTO visit_units (visit_id, seq, unit_id, unit_name)
           VALUES (?, ?, ?, (SELECT name FROM visit_unit_names WHERE unit_id = ?))`,
          [d.visitId, seq, unitId, unitId],
        ),
      );
    },
    VisitFindingsRecorded: (event, db) => {
      const d = event.data as VisitFindingsRecorded['data'];
      db.run(`INSERT OR IGNORE INTO visit_findings (visit_id, position, findings, recorded_at) VALUES (?, ?, ?, ?)`, [
        d.visitId, event.position, d.findings, utc(d.recordedAt),
      ]);
      // Counted, not incremented: applying the event again leaves the same number.
      db.run(
        `UPDATE visits SET findings_count = (SELECT COUNT(*) FROM visit_findings WHERE visit_id = ?), revision = ?, position = ?
         WHERE visit_id = ? AND position < ?`,
        [d.visitId, event.revision, event.position, d.visitId, event.position],
      );
    },
    ObstacleRaised: (event, db) => {
      const d = event.data as ObstacleRaised['data'];
      if (d.source?.kind !== 'VISIT') return;
      db.run(`INSERT OR IGNORE INTO visit_obstacles (visit_id, obstacle_id, title, raised_at, position) VALUES (?, ?, ?, ?, ?)`, [
        d.source.id, d.obstacleId, d.title, utc(d.raisedAt), event.position,
      ]);
    },
  },
});

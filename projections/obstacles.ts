/** Obstacles (cases) as a case board needs them: status, lead agency, deadline, latest progress. */
import type {
  ObstacleEscalated,
  ObstacleProgressRecorded,
  ObstacleRaised,
  ObstacleReferred,
  ObstacleReopened,
  ObstacleResolved,
} from '../src/domain/obstacle';
import type { UnitRegistered } from '../src/domain/unit';
import { defineProjection } from '../src/projection/projection';

/** The DEADLINE ordering's sort key (no deadline yet: after every dated one, ascending); the read models order by this very expression. */
export const OBSTACLE_DEADLINE_KEY = `IFNULL(deadline, '9999-12-31T23:59:59.999Z')`;

export default defineProjection({
  name: 'obstacles',
  // v4: an index on the list's default order (raised_at), so a page of the case list reads
  // its 50 rows from the index instead of sorting every obstacle on every request.
  // v5: the same for every ordering, and for each filter in the default order.
  // v6: a case raised in a meeting is with that meeting's workgroup from the start; lists filter by level and workgroup.
  version: 6,
  description: 'One row per obstacle with its current status, referral and resolution.',
  schema: `
    CREATE TABLE obstacles (
      obstacle_id TEXT PRIMARY KEY,
      unit_id TEXT,
      unit_name TEXT,
      zone_id TEXT,
      level TEXT NOT NULL DEFAULT 'COUNTY',
      workgroup_id TEXT,
      province TEXT NOT NULL,
      county TEXT NOT NULL,
      title TEXT NOT NULL,
      description TEXT NOT NULL,
      category TEXT NOT NULL,
      priority TEXT NOT NULL,
      status TEXT NOT NULL,
      lead_agency TEXT,
      lead_agency_id TEXT,
      cooperating_agencies TEXT NOT NULL DEFAULT '[]',
      deadline TEXT,
      raised_at TEXT NOT NULL,
      referred_at TEXT,
      last_progress_note TEXT,
      last_progress_at TEXT,
      resolved_at TEXT,
      resolution_summary TEXT,
      times_reopened INTEGER NOT NULL DEFAULT 0,
      revision INTEGER NOT NULL,
      position INTEGER NOT NULL
    );
    CREATE TABLE obstacle_unit_names (unit_id TEXT PRIMARY KEY, name TEXT NOT NULL);
  `,
  // One index per ordering, and one per filter (and for county with status, a county's open
  // cases) in the default order: a page is read from an index in order and stops after it, and
  // a filter's count is an index range. A filter in another order sorts the rows it matches.
  indexes: `
    CREATE INDEX IF NOT EXISTS obstacles_raised ON obstacles (raised_at, obstacle_id);
    CREATE INDEX IF NOT EXISTS obstacles_deadline ON obstacles (${OBSTACLE_DEADLINE_KEY}, obstacle_id);
    CREATE INDEX IF NOT EXISTS obstacles_last_change ON obstacles (position, obstacle_id);
    CREATE INDEX IF NOT EXISTS obstacles_unit_raised ON obstacles (unit_id, raised_at, obstacle_id);
    CREATE INDEX IF NOT EXISTS obstacles_county_raised ON obstacles (county, raised_at, obstacle_id);
    CREATE INDEX IF NOT EXISTS obstacles_county_status_raised ON obstacles (county, status, raised_at, obstacle_id);
    CREATE INDEX IF NOT EXISTS obstacles_status_raised ON obstacles (status, raised_at, obstacle_id);
    CREATE INDEX IF NOT EXISTS obstacles_zone_raised ON obstacles (zone_id, raised_at, obstacle_id);
    CREATE INDEX IF NOT EXISTS obstacles_category_raised ON obstacles (category, raised_at, obstacle_id);
    CREATE INDEX IF NOT EXISTS obstacles_agency_raised ON obstacles (lead_agency, raised_at, obstacle_id);
    CREATE INDEX IF NOT EXISTS obstacles_agency_id_raised ON obstacles (lead_agency_id, raised_at, obstacle_id);
    CREATE INDEX IF NOT EXISTS obstacles_level_raised ON obstacles (level, raised_at, obstacle_id);
    CREATE INDEX IF NOT EXISTS obstacles_workgroup_raised ON obstacles (workgroup_id, raised_at, obstacle_id);
  `,
  handlers: {
    UnitRegistered: (event, db) => {
      const d = event.data as UnitRegistered['data'];
      db.run(`INSERT OR REPLACE INTO obstacle_unit_names (unit_id, name) VALUES (?, ?)`, [d.unitId, d.name]);
    },
    ObstacleRaised: (event, db) => {
      const d = event.data as ObstacleRaised['data'];
      db.run(
        `INSERT INTO obstacles (obstacle_id, unit_id, unit_name, zone_id, province, county, title, description, category,
           priority, status, raised_at, workgroup_id, revision, position)
         VALUES (?, ?, (SELECT name FROM obstacle_unit_names WHERE unit_id = ?), ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?, ?, ?)
         ON CONFLICT (obstacle_id) DO NOTHING`,
        [d.obstacleId, d.unitId, d.unitId, d.zoneId, d.province, d.county, d.title, d.description, d.category, d.priority,
          d.raisedAt, d.workgroupId ?? null, event.revision, event.position],
      );
    },
    ObstacleReferred: (event, db) => {
      const d = event.data as ObstacleReferred['data'];
      db.run(
        `UPDATE obstacles SET status = 'REFERRED', lead_agency = ?, lead_agency_id = ?, cooperating_agencies = ?, deadline = ?,
           referred_at = ?, revision = ?, position = ? WHERE obstacle_id = ?`,
        [d.leadAgency, d.leadAgencyId ?? null, JSON.stringify(d.cooperatingAgencies), d.deadline, d.referredAt, event.revision, event.position, d.obstacleId],
      );
    },
    ObstacleProgressRecorded: (event, db) => {
      const d = event.data as ObstacleProgressRecorded['data'];
      db.run(
        `UPDATE obstacles SET status = 'IN_PROGRESS', last_progress_note = ?, last_progress_at = ?, revision = ?, position = ?
         WHERE obstacle_id = ?`,
        [d.note, d.recordedAt, event.revision, event.position, d.obstacleId],
      );
    },
    ObstacleResolved: (event, db) => {
      const d = event.data as ObstacleResolved['data'];
      db.run(
        `UPDATE obstacles SET status = 'RESOLVED', resolved_at = ?, resolution_summary = ?, revision = ?, position = ?
         WHERE obstacle_id = ?`,
        [d.resolvedAt, d.resolutionSummary, event.revision, event.position, d.obstacleId],
      );
    },
    ObstacleEscalated: (event, db) => {
      const d = event.data as ObstacleEscalated['data'];
      db.run(`UPDATE obstacles SET level = ?, workgroup_id = ?, revision = ?, position = ? WHERE obstacle_id = ?`, [
        d.toLevel, d.toWorkgroupId, event.revision, event.position, d.obstacleId,
      ]);
    },
    ResolutionLinked: (event, db) => {
      db.run(`UPDATE obstacles SET revision = ?, position = ? WHERE obstacle_id = ?`, [event.revision, event.position, event.data.obstacleId]);
    },
    ObstacleReopened: (event, db) => {
      const d = event.data as ObstacleReopened['data'];
      // Same rule as the decider: back to the agency it was referred to, if any.
      // The position guard makes a second application of the same event a no-op for the counter.
      db.run(
        `UPDATE obstacles SET status = CASE WHEN lead_agency IS NULL THEN 'OPEN' ELSE 'REFERRED' END,
           resolved_at = NULL, resolution_summary = NULL, times_reopened = times_reopened + 1,
           revision = ?, position = ?
         WHERE obstacle_id = ? AND position < ?`,
        [event.revision, event.position, d.obstacleId, event.position],
      );
    },
  },
});

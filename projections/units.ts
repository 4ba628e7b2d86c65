/** Units as a list screen needs them: profile, activity status, open-obstacle count. */
import type { ObstacleRaised } from '../src/domain/obstacle';
import type { UnitActivityStatusChanged, UnitLinkedToZone, UnitProfileUpdated, UnitRegistered } from '../src/domain/unit';
import { persianSortKey } from '../src/projection/persian-order';
import { defineProjection, type ReadModelDb } from '../src/projection/projection';

/**
 * A unit's open-obstacle count moves by one only when its obstacle's row did change (a new
 * row, or `open` really flipped), so applying an event twice counts it once. (Recounting the
 * unit's open obstacles at every event grew with them.)
 */
const countOpen = (db: ReadModelDb, obstacleId: string, by: 1 | -1): void =>
  void db.run(`UPDATE units SET open_obstacles = open_obstacles + ? WHERE unit_id = (SELECT unit_id FROM unit_obstacles WHERE obstacle_id = ?)`, [by, obstacleId]);

/** The NAME ordering's sort key; the read models order by this very expression, so its indexes serve them. */
export const UNIT_NAME_KEY = persianSortKey('name');

export default defineProjection({
  name: 'units',
  // v3: indexes that end in each ordering's keys (the list at a million events sorted every unit per page).
  version: 3,
  description: 'One row per production unit with its current activity status and open obstacles.',
  schema: `
    CREATE TABLE units (
      unit_id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      national_id TEXT NOT NULL,
      sector TEXT NOT NULL,
      province TEXT NOT NULL,
      county TEXT NOT NULL,
      location TEXT,
      zone_id TEXT,
      isic_code TEXT,
      capacity_utilisation REAL,
      head_count INTEGER,
      activity_status TEXT NOT NULL,
      status_reason TEXT,
      status_changed_at TEXT NOT NULL,
      registered_at TEXT NOT NULL,
      open_obstacles INTEGER NOT NULL DEFAULT 0,
      revision INTEGER NOT NULL,
      position INTEGER NOT NULL
    );
    CREATE TABLE unit_obstacles (
      obstacle_id TEXT PRIMARY KEY,
      unit_id TEXT NOT NULL,
      open INTEGER NOT NULL
    );
    CREATE INDEX unit_obstacles_unit ON unit_obstacles (unit_id, open);
  `,
  // One index per filter and ordering a list screen offers, each ending in the ordering's keys,
  // so a page is read from an index in order and stops after it, and a filter's count is an index range.
  indexes: `
    CREATE INDEX IF NOT EXISTS units_registered ON units (registered_at, unit_id);
    CREATE INDEX IF NOT EXISTS units_county_registered ON units (county, registered_at, unit_id);
    CREATE INDEX IF NOT EXISTS units_status_registered ON units (activity_status, registered_at, unit_id);
    CREATE INDEX IF NOT EXISTS units_zone_registered ON units (zone_id, registered_at, unit_id);
    CREATE INDEX IF NOT EXISTS units_sector_registered ON units (sector, registered_at, unit_id);
    CREATE INDEX IF NOT EXISTS units_name ON units (${UNIT_NAME_KEY}, unit_id);
    CREATE INDEX IF NOT EXISTS units_county_name ON units (county, ${UNIT_NAME_KEY}, unit_id);
  `,
  handlers: {
    UnitRegistered: (event, db) => {
      const d = event.data as UnitRegistered['data'];
      db.run(
        `INSERT INTO units (unit_id, name, national_id, sector, province, county, location, zone_id, isic_code,
           capacity_utilisation, head_count, activity_status, status_reason, status_changed_at, registered_at, revision, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)
         ON CONFLICT (unit_id) DO NOTHING`,
        [d.unitId, d.name, d.nationalId, d.sector, d.province, d.county, d.location, d.zoneId ?? null, d.isicCode ?? null,
          d.capacityUtilisation ?? null, d.headCount, d.activityStatus, d.registeredAt, d.registeredAt, event.revision, event.position],
      );
    },
    UnitActivityStatusChanged: (event, db) => {
      const d = event.data as UnitActivityStatusChanged['data'];
      db.run(
        `UPDATE units SET activity_status = ?, status_reason = ?, status_changed_at = ?, revision = ?, position = ?
         WHERE unit_id = ?`,
        [d.to, d.reason, d.changedAt, event.revision, event.position, d.unitId],
      );
    },
    UnitLinkedToZone: (event, db) => {
      const d = event.data as UnitLinkedToZone['data'];
      db.run(`UPDATE units SET zone_id = ?, revision = ?, position = ? WHERE unit_id = ?`, [d.zoneId, event.revision, event.position, d.unitId]);
    },
    UnitProfileUpdated: (event, db) => {
      const d = event.data as UnitProfileUpdated['data'];
      // Only the fields the event carries changed; COALESCE-free so that null clears a field.
      const columns: [keyof typeof d, string][] = [
        ['headCount', 'head_count'],
        ['capacityUtilisation', 'capacity_utilisation'],
        ['isicCode', 'isic_code'],
        ['sector', 'sector'],
      ];
      for (const [field, column] of columns) {
        if (field in d) db.run(`UPDATE units SET ${column} = ? WHERE unit_id = ?`, [d[field] ?? null, d.unitId]);
      }
      db.run(`UPDATE units SET revision = ?, position = ? WHERE unit_id = ?`, [event.revision, event.position, d.unitId]);
    },
    ObstacleRaised: (event, db) => {
      const d = event.data as ObstacleRaised['data'];
      if (d.unitId === null) return;
      if (db.run(`INSERT OR IGNORE INTO unit_obstacles (obstacle_id, unit_id, open) VALUES (?, ?, 1)`, [d.obstacleId, d.unitId]) > 0) countOpen(db, d.obstacleId, 1);
    },
    ObstacleResolved: (event, db) => {
      const id = event.data.obstacleId as string;
      if (db.run(`UPDATE unit_obstacles SET open = 0 WHERE obstacle_id = ? AND open = 1`, [id]) > 0) countOpen(db, id, -1);
    },
    ObstacleReopened: (event, db) => {
      const id = event.data.obstacleId as string;
      if (db.run(`UPDATE unit_obstacles SET open = 1 WHERE obstacle_id = ? AND open = 0`, [id]) > 0) countOpen(db, id, 1);
    },
  },
});

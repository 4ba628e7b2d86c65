/** Obstacles raised and resolved per category, county and Jalali month: where the cases come from, over time. */
import { jalaliMonthKey } from '../src/calendar/jalali';
import type { ObstacleRaised, ObstacleResolved } from '../src/domain/obstacle';
import { defineProjection, type ReadModelDb } from '../src/projection/projection';

interface Place {
  province: string;
  county: string;
}

/**
 * A cell's count goes up only with the row of the event that counts in it (`INSERT OR IGNORE`
 * reports no change when the row is there), so applying an event twice counts it once.
 * (Recounting the cell's rows at every event, as first written, grew with the cell: quadratic
 * over a busy month, and it halved the benchmark's raiseObstacle rate.)
 */
const count = (db: ReadModelDb, place: Place, month: string, category: string, kind: 'raised' | 'resolved'): void =>
  void db.run(
    `INSERT INTO category_months (county, jalali_month, category, province, raised, resolved) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (county, jalali_month, category, province) DO UPDATE SET ${kind} = ${kind} + 1`,
    [place.county, month, category, place.province, kind === 'raised' ? 1 : 0, kind === 'resolved' ? 1 : 0],
  );

export default defineProjection({
  name: 'obstacle-categories',
  // v2: per-month counts kept as cells (category_months); the query summed every event of the history.
  // v3: every row carries its province, for the read scope (a provincial user reads its province's cells).
  version: 3,
  description: 'Obstacles raised and resolved, counted by category, county (with its province) and Jalali month.',
  schema: `
    CREATE TABLE category_obstacles (obstacle_id TEXT PRIMARY KEY, category TEXT NOT NULL, province TEXT NOT NULL, county TEXT NOT NULL);
    CREATE TABLE category_events (
      position INTEGER PRIMARY KEY,
      obstacle_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      category TEXT NOT NULL,
      province TEXT NOT NULL,
      county TEXT NOT NULL,
      jalali_month TEXT NOT NULL
    );
    CREATE TABLE category_months (
      county TEXT NOT NULL,
      jalali_month TEXT NOT NULL,
      category TEXT NOT NULL,
      province TEXT NOT NULL,
      raised INTEGER NOT NULL,
      resolved INTEGER NOT NULL,
      PRIMARY KEY (county, jalali_month, category, province)
    );
  `,
  // The whole country, and one province, over a range of months (a county's own rows, or a
  // county user's counties, are its primary key's prefix).
  indexes: `
    CREATE INDEX IF NOT EXISTS category_months_by_month ON category_months (jalali_month, category, raised, resolved);
    CREATE INDEX IF NOT EXISTS category_months_by_province ON category_months (province, jalali_month, category, raised, resolved);
  `,
  handlers: {
    ObstacleRaised: (event, db) => {
      const d = event.data as ObstacleRaised['data'];
      const month = jalaliMonthKey(new Date(d.raisedAt));
      db.run(`INSERT OR IGNORE INTO category_obstacles (obstacle_id, category, province, county) VALUES (?, ?, ?, ?)`, [d.obstacleId, d.category, d.province, d.county]);
      const row = db.run(
        `INSERT OR IGNORE INTO category_events (position, obstacle_id, kind, category, province, county, jalali_month) VALUES (?, ?, 'RAISED', ?, ?, ?, ?)`,
        [event.position, d.obstacleId, d.category, d.province, d.county, month],
      );
      if (row > 0) count(db, d, month, d.category, 'raised');
    },
    ObstacleResolved: (event, db) => {
      const d = event.data as ObstacleResolved['data'];
      const obstacle = db.get<{ category: string; province: string; county: string }>(
        `SELECT category, province, county FROM category_obstacles WHERE obstacle_id = ?`,
        [d.obstacleId],
      );
      if (!obstacle) return;
      const month = jalaliMonthKey(new Date(d.resolvedAt));
      const row = db.run(
        `INSERT OR IGNORE INTO category_events (position, obstacle_id, kind, category, province, county, jalali_month) VALUES (?, ?, 'RESOLVED', ?, ?, ?, ?)`,
        [event.position, d.obstacleId, obstacle.category, obstacle.province, obstacle.county, month],
      );
      if (row > 0) count(db, obstacle, month, obstacle.category, 'resolved');
    },
  },
});

/** Obstacles raised and resolved per category, county and Jalali month: where the cases come from, over time. */
import { jalaliMonthKey } from '../src/calendar/jalali';
import type { ObstacleRaised, ObstacleResolved } from '../src/domain/obstacle';
import { defineProjection, type ReadModelDb } from '../src/projection/projection';

/**
 * A month's counts for one category in one county, recomputed from its events (never incremented),
 * so applying an event twice changes nothing and a query reads a few hundred cells, not the history.
 */
const recount = (db: ReadModelDb, county: string, month: string, category: string): void =>
  db.run(
    `INSERT OR REPLACE INTO category_months (county, jalali_month, category, raised, resolved)
     SELECT ?, ?, ?, SUM(kind = 'RAISED'), SUM(kind = 'RESOLVED') FROM category_events WHERE county = ? AND jalali_month = ? AND category = ?`,
    [county, month, category, county, month, category],
  );

export default defineProjection({
  name: 'obstacle-categories',
  // v2: per-month counts kept as cells (category_months); the query summed every event of the history.
  version: 2,
  description: 'Obstacles raised and resolved, counted by category, county and Jalali month.',
  schema: `
    CREATE TABLE category_obstacles (obstacle_id TEXT PRIMARY KEY, category TEXT NOT NULL, county TEXT NOT NULL);
    CREATE TABLE category_events (
      position INTEGER PRIMARY KEY,
      obstacle_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      category TEXT NOT NULL,
      county TEXT NOT NULL,
      jalali_month TEXT NOT NULL
    );
    CREATE INDEX category_events_cell ON category_events (county, jalali_month, category);
    CREATE TABLE category_months (
      county TEXT NOT NULL,
      jalali_month TEXT NOT NULL,
      category TEXT NOT NULL,
      raised INTEGER NOT NULL,
      resolved INTEGER NOT NULL,
      PRIMARY KEY (county, jalali_month, category)
    );
  `,
  handlers: {
    ObstacleRaised: (event, db) => {
      const d = event.data as ObstacleRaised['data'];
      const month = jalaliMonthKey(new Date(d.raisedAt));
      db.run(`INSERT OR IGNORE INTO category_obstacles (obstacle_id, category, county) VALUES (?, ?, ?)`, [d.obstacleId, d.category, d.county]);
      db.run(`INSERT OR IGNORE INTO category_events (position, obstacle_id, kind, category, county, jalali_month) VALUES (?, ?, 'RAISED', ?, ?, ?)`, [
        event.position, d.obstacleId, d.category, d.county, month,
      ]);
      recount(db, d.county, month, d.category);
    },
    ObstacleResolved: (event, db) => {
      const d = event.data as ObstacleResolved['data'];
      const obstacle = db.get<{ category: string; county: string }>(`SELECT category, county FROM category_obstacles WHERE obstacle_id = ?`, [d.obstacleId]);
      if (!obstacle) return;
      const month = jalaliMonthKey(new Date(d.resolvedAt));
      db.run(`INSERT OR IGNORE INTO category_events (position, obstacle_id, kind, category, county, jalali_month) VALUES (?, ?, 'RESOLVED', ?, ?, ?)`, [
        event.position, d.obstacleId, obstacle.category, obstacle.county, month,
      ]);
      recount(db, obstacle.county, month, obstacle.category);
    },
  },
});

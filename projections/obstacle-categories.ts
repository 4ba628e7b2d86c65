/** Obstacles raised and resolved per category, county and Jalali month: where the cases come from, over time. */
import { jalaliMonthKey } from '../src/calendar/jalali';
import type { ObstacleRaised, ObstacleResolved } from '../src/domain/obstacle';
import { defineProjection } from '../src/projection/projection';

export default defineProjection({
  name: 'obstacle-categories',
  version: 1,
  description: 'One row per obstacle raised or resolved, by category, county and Jalali month.',
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
    CREATE INDEX category_events_month ON category_events (jalali_month, category);
  `,
  handlers: {
    ObstacleRaised: (event, db) => {
      const d = event.data as ObstacleRaised['data'];
      db.run(`INSERT OR IGNORE INTO category_obstacles (obstacle_id, category, county) VALUES (?, ?, ?)`, [d.obstacleId, d.category, d.county]);
      db.run(`INSERT OR IGNORE INTO category_events (position, obstacle_id, kind, category, county, jalali_month) VALUES (?, ?, 'RAISED', ?, ?, ?)`, [
        event.position, d.obstacleId, d.category, d.county, jalaliMonthKey(new Date(d.raisedAt)),
      ]);
    },
    ObstacleResolved: (event, db) => {
      const d = event.data as ObstacleResolved['data'];
      db.run(
        `INSERT OR IGNORE INTO category_events (position, obstacle_id, kind, category, county, jalali_month)
         SELECT ?, obstacle_id, 'RESOLVED', category, county, ? FROM category_obstacles WHERE obstacle_id = ?`,
        [event.position, jalaliMonthKey(new Date(d.resolvedAt)), d.obstacleId],
      );
    },
  },
});

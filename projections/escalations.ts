/**
 * Where each case has been handled, in order: the county workgroup from the
 * day it was raised, then every body it was escalated to (county → province →
 * national), with who escalated it and why. The case's current level is also
 * on its `obstacles` row; this keeps the way it got there.
 */
import type { ObstacleEscalated, ObstacleRaised } from '../src/domain/obstacle';
import { defineProjection } from '../src/projection/projection';

const utc = (iso: string): string => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString();
};

export default defineProjection({
  name: 'escalations',
  // 2: the county entry names the workgroup whose meeting raised the case.
  version: 2,
  description: 'The level history of every obstacle: raised at the county, then each escalation with its reason.',
  schema: `
    CREATE TABLE obstacle_levels (
      obstacle_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      level TEXT NOT NULL,
      from_level TEXT,
      workgroup_id TEXT,
      reason TEXT,
      since TEXT NOT NULL,
      actor TEXT NOT NULL,
      PRIMARY KEY (obstacle_id, position)
    );
  `,
  handlers: {
    ObstacleRaised: (event, db) => {
      const d = event.data as ObstacleRaised['data'];
      db.run(
        `INSERT OR IGNORE INTO obstacle_levels (obstacle_id, position, level, from_level, workgroup_id, reason, since, actor)
         VALUES (?, ?, 'COUNTY', NULL, ?, NULL, ?, ?)`,
        [d.obstacleId, event.position, d.workgroupId ?? null, utc(d.raisedAt), event.metadata.actor],
      );
    },
    ObstacleEscalated: (event, db) => {
      const d = event.data as ObstacleEscalated['data'];
      db.run(
        `INSERT OR IGNORE INTO obstacle_levels (obstacle_id, position, level, from_level, workgroup_id, reason, since, actor)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [d.obstacleId, event.position, d.toLevel, d.fromLevel, d.toWorkgroupId, d.reason, utc(d.escalatedAt), event.metadata.actor],
      );
    },
  },
});

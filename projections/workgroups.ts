/** Workgroups (کارگروه / ستاد) with how many sessions they have numbered and the latest number. */
import type { MeetingNumberReserved, WorkgroupRegistered } from '../src/domain/workgroup';
import { defineProjection } from '../src/projection/projection';

export default defineProjection({
  name: 'workgroups',
  version: 1,
  description: 'One row per workgroup (county, province, national) with its meetings count and last session number.',
  schema: `
    CREATE TABLE workgroups (
      workgroup_id TEXT PRIMARY KEY,
      level TEXT NOT NULL,
      province TEXT,
      county TEXT,
      name TEXT NOT NULL,
      registered_at TEXT NOT NULL,
      meeting_count INTEGER NOT NULL DEFAULT 0,
      last_sequence_number INTEGER,
      revision INTEGER NOT NULL,
      position INTEGER NOT NULL
    );
    CREATE INDEX workgroups_level ON workgroups (level, registered_at, workgroup_id);
    CREATE INDEX workgroups_province ON workgroups (province, registered_at, workgroup_id);
    CREATE TABLE workgroup_meetings (
      meeting_id TEXT PRIMARY KEY,
      workgroup_id TEXT NOT NULL,
      number INTEGER NOT NULL
    );
    CREATE INDEX workgroup_meetings_workgroup ON workgroup_meetings (workgroup_id, number);
  `,
  // The lists' default order, and filters the schema's indexes above do not lead with.
  indexes: `
    CREATE INDEX IF NOT EXISTS workgroups_registered ON workgroups (registered_at, workgroup_id);
  `,
  handlers: {
    WorkgroupRegistered: (event, db) => {
      const d = event.data as WorkgroupRegistered['data'];
      db.run(
        `INSERT INTO workgroups (workgroup_id, level, province, county, name, registered_at, revision, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (workgroup_id) DO NOTHING`,
        [d.workgroupId, d.level, d.province, d.county, d.name, d.registeredAt, event.revision, event.position],
      );
    },
    MeetingNumberReserved: (event, db) => {
      const d = event.data as MeetingNumberReserved['data'];
      db.run(`INSERT OR IGNORE INTO workgroup_meetings (meeting_id, workgroup_id, number) VALUES (?, ?, ?)`, [
        d.meetingId, d.workgroupId, d.number,
      ]);
      // Recomputed, never incremented: applying the event twice counts the session once.
      db.run(
        `UPDATE workgroups SET
           meeting_count = (SELECT COUNT(*) FROM workgroup_meetings m WHERE m.workgroup_id = workgroups.workgroup_id),
           last_sequence_number = (SELECT MAX(number) FROM workgroup_meetings m WHERE m.workgroup_id = workgroups.workgroup_id),
           revision = MAX(revision, ?), position = MAX(position, ?)
         WHERE workgroup_id = ?`,
        [event.revision, event.position, d.workgroupId],
      );
    },
  },
});

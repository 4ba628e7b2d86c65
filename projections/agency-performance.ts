/**
 * Agency performance: for each resolution, its lead agency (by name, and by
 * registry id when it has one), the place it lies in (its meeting's),
 * deadline (cut by Jalali month), whether it was objected to, its outcome and
 * when. The figures (due, implemented on time, late, objected, no action,
 * median days to implement) are computed from these rows at query time.
 */
import { jalaliMonthKey } from '../src/calendar/jalali';
import type { MeetingScheduled } from '../src/domain/meeting';
import type { ResolutionCommunicated, ResolutionOutcomeRecorded, ResolutionRecorded } from '../src/domain/resolution';
import { defineProjection } from '../src/projection/projection';

export default defineProjection({
  name: 'agency-performance',
  // v2: each resolution carries its place (its meeting's: resolution events name none) and its lead
  // agency's registry id, for the read scope.
  version: 2,
  description: 'One row per resolution with lead agency (name and registry id), place, deadline month, objection and outcome, for agency scorecards.',
  schema: `
    CREATE TABLE agency_resolutions (
      resolution_id TEXT PRIMARY KEY,
      lead_agency TEXT NOT NULL,
      lead_agency_id TEXT,
      province TEXT NOT NULL,
      county TEXT NOT NULL,
      deadline TEXT NOT NULL,
      deadline_month TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      communicated_at TEXT,
      objected INTEGER NOT NULL DEFAULT 0,
      outcome TEXT,
      outcome_at TEXT
    );
    CREATE INDEX agency_resolutions_agency ON agency_resolutions (lead_agency, deadline_month);
    -- Where each meeting was held (meetings never move): a resolution lies where its meeting does.
    CREATE TABLE agency_meeting_places (meeting_id TEXT PRIMARY KEY, province TEXT NOT NULL, county TEXT NOT NULL);
  `,
  // A place's resolutions, and an agency's by registry id.
  indexes: `
    CREATE INDEX IF NOT EXISTS agency_resolutions_place ON agency_resolutions (province, county, deadline_month);
    CREATE INDEX IF NOT EXISTS agency_resolutions_agency_id ON agency_resolutions (lead_agency_id, deadline_month);
  `,
  handlers: {
    MeetingScheduled: (event, db) => {
      const d = event.data as MeetingScheduled['data'];
      db.run(`INSERT OR IGNORE INTO agency_meeting_places (meeting_id, province, county) VALUES (?, ?, ?)`, [d.meetingId, d.province, d.county]);
    },
    ResolutionRecorded: (event, db) => {
      const d = event.data as ResolutionRecorded['data'];
      // A meeting is scheduled before it is held and resolves; an unknown one (never, but for a
      // store cut short) places the resolution nowhere, which only national users see.
      db.run(
        `INSERT OR IGNORE INTO agency_resolutions (resolution_id, lead_agency, lead_agency_id, province, county, deadline, deadline_month, recorded_at)
         VALUES (?, ?, ?, COALESCE((SELECT province FROM agency_meeting_places WHERE meeting_id = ?), ''),
           COALESCE((SELECT county FROM agency_meeting_places WHERE meeting_id = ?), ''), ?, ?, ?)`,
        [d.resolutionId, d.leadAgency, d.leadAgencyId ?? null, d.meetingId, d.meetingId, d.deadline, jalaliMonthKey(new Date(d.deadline)), d.recordedAt],
      );
    },
    ResolutionCommunicated: (event, db) => {
      const d = event.data as ResolutionCommunicated['data'];
      db.run(`UPDATE agency_resolutions SET communicated_at = ? WHERE resolution_id = ?`, [d.communicatedAt, d.resolutionId]);
    },
    ResolutionObjected: (event, db) => {
      db.run(`UPDATE agency_resolutions SET objected = 1 WHERE resolution_id = ?`, [event.data.resolutionId]);
    },
    ResolutionWithdrawn: (event, db) => {
      db.run(`UPDATE agency_resolutions SET outcome = 'WITHDRAWN', outcome_at = ? WHERE resolution_id = ?`, [event.data.decidedAt, event.data.resolutionId]);
    },
    ResolutionOutcomeRecorded: (event, db) => {
      const d = event.data as ResolutionOutcomeRecorded['data'];
      db.run(`UPDATE agency_resolutions SET outcome = ?, outcome_at = ? WHERE resolution_id = ?`, [d.outcome, d.recordedAt, d.resolutionId]);
    },
  },
});

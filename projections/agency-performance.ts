/**
 * Agency performance: for each resolution, its lead agency, deadline (cut by
 * Jalali month), whether it was objected to, its outcome and when. The
 * figures (due, implemented on time, late, objected, no action, median days
 * to implement) are computed from these rows at query time.
 */
import { jalaliMonthKey } from '../src/calendar/jalali';
import type { ResolutionCommunicated, ResolutionOutcomeRecorded, ResolutionRecorded } from '../src/domain/resolution';
import { defineProjection } from '../src/projection/projection';

export default defineProjection({
  name: 'agency-performance',
  version: 1,
  description: 'One row per resolution with lead agency, deadline month, objection and outcome, for agency scorecards.',
  schema: `
    CREATE TABLE agency_resolutions (
      resolution_id TEXT PRIMARY KEY,
      lead_agency TEXT NOT NULL,
      deadline TEXT NOT NULL,
      deadline_month TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      communicated_at TEXT,
      objected INTEGER NOT NULL DEFAULT 0,
      outcome TEXT,
      outcome_at TEXT
    );
    CREATE INDEX agency_resolutions_agency ON agency_resolutions (lead_agency, deadline_month);
  `,
  handlers: {
    ResolutionRecorded: (event, db) => {
      const d = event.data as ResolutionRecorded['data'];
      db.run(
        `INSERT OR IGNORE INTO agency_resolutions (resolution_id, lead_agency, deadline, deadline_month, recorded_at) VALUES (?, ?, ?, ?, ?)`,
        [d.resolutionId, d.leadAgency, d.deadline, jalaliMonthKey(new Date(d.deadline)), d.recordedAt],
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

/**
 * Resolutions (مصوبات) as the follow-up screens need them: where each one
 * stands after its meeting, its objection, progress and outcome. Whether one
 * is overdue depends on the clock, so it is not stored: the query compares
 * `deadline` with its own now (`settled_at IS NULL AND deadline < now`).
 */
import type { MeetingScheduled } from '../src/domain/meeting';
import type {
  ResolutionCommunicated,
  ResolutionObjected,
  ResolutionObjectionRejected,
  ResolutionOutcomeRecorded,
  ResolutionProgressReported,
  ResolutionRecorded,
  ResolutionWithdrawn,
} from '../src/domain/resolution';
import type { RecordedEvent } from '../src/eventstore/event-store';
import { defineProjection, type ReadModelDb } from '../src/projection/projection';

/** Times in UTC, so that SQL compares them as text in time order (events may carry any offset). */
const utc = (iso: string): string => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString();
};

/** Updates a resolution's row once per event: applying an event again leaves the row as it is. */
const update = (db: ReadModelDb, event: RecordedEvent, resolutionId: string, set: string, params: unknown[]): void =>
  void db.run(`UPDATE resolutions SET ${set}, revision = ?, position = ? WHERE resolution_id = ? AND position < ?`, [
    ...params,
    event.revision,
    event.position,
    resolutionId,
    event.position,
  ]);

export default defineProjection({
  name: 'resolutions',
  version: 2,
  description: 'Every resolution with its status, communication, objection, progress and outcome, for the follow-up.',
  schema: `
    CREATE TABLE resolutions (
      resolution_id TEXT PRIMARY KEY,
      meeting_id TEXT NOT NULL,
      province TEXT NOT NULL,
      county TEXT NOT NULL,
      text TEXT NOT NULL,
      lead_agency TEXT NOT NULL,
      lead_agency_id TEXT,
      cooperating_agencies TEXT NOT NULL,
      deadline TEXT NOT NULL,
      obstacle_id TEXT,
      unit_id TEXT,
      recorded_at TEXT NOT NULL,
      status TEXT NOT NULL,
      communicated_at TEXT,
      objection_window_days INTEGER,
      objection_deadline TEXT,
      objection_agency TEXT,
      objection_reason TEXT,
      objected_at TEXT,
      objection_accepted INTEGER,
      objection_decided_at TEXT,
      objection_note TEXT,
      progress_reports INTEGER NOT NULL DEFAULT 0,
      last_progress_note TEXT,
      last_progress_at TEXT,
      outcome TEXT,
      outcome_note TEXT,
      settled_at TEXT,
      revision INTEGER NOT NULL,
      position INTEGER NOT NULL
    );
    CREATE TABLE resolution_meetings (
      meeting_id TEXT PRIMARY KEY,
      province TEXT NOT NULL,
      county TEXT NOT NULL
    );
  `,
  indexes: `
    CREATE INDEX IF NOT EXISTS resolutions_recorded ON resolutions (recorded_at, resolution_id);
    CREATE INDEX IF NOT EXISTS resolutions_status ON resolutions (status, recorded_at);
    CREATE INDEX IF NOT EXISTS resolutions_county ON resolutions (county, recorded_at);
    CREATE INDEX IF NOT EXISTS resolutions_agency ON resolutions (lead_agency, recorded_at);
    CREATE INDEX IF NOT EXISTS resolutions_deadline ON resolutions (deadline, resolution_id);
    CREATE INDEX IF NOT EXISTS resolutions_open_deadline ON resolutions (deadline) WHERE settled_at IS NULL;
    CREATE INDEX IF NOT EXISTS resolutions_obstacle ON resolutions (obstacle_id);
  `,
  handlers: {
    // A resolution applies where its meeting was held; meetings never move.
    MeetingScheduled: (event, db) => {
      const d = event.data as MeetingScheduled['data'];
      db.run(`INSERT OR IGNORE INTO resolution_meetings (meeting_id, province, county) VALUES (?, ?, ?)`, [d.meetingId, d.province, d.county]);
    },
    ResolutionRecorded: (event, db) => {
      const d = event.data as ResolutionRecorded['data'];
      db.run(
        `INSERT INTO resolutions (resolution_id, meeting_id, province, county, text, lead_agency, lead_agency_id, cooperating_agencies, deadline,
           obstacle_id, unit_id, recorded_at, status, revision, position)
         VALUES (?, ?, COALESCE((SELECT province FROM resolution_meetings WHERE meeting_id = ?), ''),
           COALESCE((SELECT county FROM resolution_meetings WHERE meeting_id = ?), ''), ?, ?, ?, ?, ?, ?, ?, ?, 'RECORDED', ?, ?)
         ON CONFLICT (resolution_id) DO NOTHING`,
        [d.resolutionId, d.meetingId, d.meetingId, d.meetingId, d.text, d.leadAgency, d.leadAgencyId ?? null, JSON.stringify(d.cooperatingAgencies),
          utc(d.deadline), d.obstacleId, d.unitId, utc(d.recordedAt), event.revision, event.position],
      );
    },
    ResolutionCommunicated: (event, db) => {
      const d = event.data as ResolutionCommunicated['data'];
      update(db, event, d.resolutionId, `status = 'COMMUNICATED', communicated_at = ?, objection_window_days = ?, objection_deadline = ?`, [
        utc(d.communicatedAt), d.objectionWindowDays, utc(d.objectionDeadline),
      ]);
    },
    ResolutionObjected: (event, db) => {
      const d = event.data as ResolutionObjected['data'];
      update(db, event, d.resolutionId, `status = 'OBJECTED', objection_agency = ?, objection_reason = ?, objected_at = ?`, [
        d.agency, d.reason, utc(d.objectedAt),
      ]);
    },
    ResolutionWithdrawn: (event, db) => {
      const d = event.data as ResolutionWithdrawn['data'];
      update(db, event, d.resolutionId, `status = 'WITHDRAWN', objection_accepted = 1, objection_decided_at = ?, objection_note = ?, settled_at = ?`, [
        utc(d.decidedAt), d.note, utc(d.decidedAt),
      ]);
    },
    ResolutionObjectionRejected: (event, db) => {
      const d = event.data as ResolutionObjectionRejected['data'];
      update(db, event, d.resolutionId, `status = 'COMMUNICATED', objection_accepted = 0, objection_decided_at = ?, objection_note = ?`, [
        utc(d.decidedAt), d.note,
      ]);
    },
    ResolutionProgressReported: (event, db) => {
      const d = event.data as ResolutionProgressReported['data'];
      update(db, event, d.resolutionId, `status = 'IN_PROGRESS', progress_reports = progress_reports + 1, last_progress_note = ?, last_progress_at = ?`, [
        d.note, utc(d.reportedAt),
      ]);
    },
    ResolutionOutcomeRecorded: (event, db) => {
      const d = event.data as ResolutionOutcomeRecorded['data'];
      update(db, event, d.resolutionId, `status = ?, outcome = ?, outcome_note = ?, settled_at = ?`, [
        d.outcome, d.outcome, d.note, utc(d.recordedAt),
      ]);
    },
  },
});

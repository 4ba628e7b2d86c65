/** Meetings with their agenda, attendees and resolutions. */
import type {
  AgendaItemAdded,
  MeetingCancelled,
  MeetingHeld,
  MeetingPostponed,
  MeetingScheduled,
} from '../src/domain/meeting';
import type { ResolutionRecorded } from '../src/domain/resolution';
import { defineProjection } from '../src/projection/projection';

export default defineProjection({
  name: 'meetings',
  // 4: a zone's case may be on the agenda (no unit; its zone).
  version: 4,
  description: 'Meetings of the workgroups, their agenda items, attendees and resolutions.',
  schema: `
    CREATE TABLE meetings (
      meeting_id TEXT PRIMARY KEY,
      workgroup_id TEXT,
      sequence_number INTEGER,
      province TEXT NOT NULL,
      county TEXT NOT NULL,
      title TEXT NOT NULL,
      scheduled_at TEXT NOT NULL,
      venue TEXT NOT NULL,
      chair TEXT NOT NULL,
      status TEXT NOT NULL,
      held_at TEXT,
      minutes TEXT,
      postponement_reason TEXT,
      cancellation_reason TEXT,
      revision INTEGER NOT NULL,
      position INTEGER NOT NULL
    );
    CREATE TABLE meeting_agenda (
      meeting_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      kind TEXT NOT NULL,
      subject_id TEXT NOT NULL,
      unit_id TEXT,
      zone_id TEXT,
      note TEXT,
      PRIMARY KEY (meeting_id, kind, subject_id)
    );
    CREATE TABLE meeting_attendees (
      meeting_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      name TEXT NOT NULL,
      agency TEXT NOT NULL,
      role TEXT,
      PRIMARY KEY (meeting_id, seq)
    );
    CREATE TABLE resolutions (
      resolution_id TEXT PRIMARY KEY,
      meeting_id TEXT NOT NULL,
      text TEXT NOT NULL,
      lead_agency TEXT NOT NULL,
      lead_agency_id TEXT,
      cooperating_agencies TEXT NOT NULL,
      deadline TEXT NOT NULL,
      obstacle_id TEXT,
      unit_id TEXT,
      recorded_at TEXT NOT NULL,
      position INTEGER NOT NULL
    );
  `,
  indexes: `
    CREATE INDEX IF NOT EXISTS meetings_scheduled ON meetings (scheduled_at, meeting_id);
    CREATE INDEX IF NOT EXISTS meetings_county ON meetings (county, scheduled_at);
    CREATE INDEX IF NOT EXISTS meetings_status ON meetings (status, scheduled_at);
    CREATE INDEX IF NOT EXISTS meeting_agenda_unit ON meeting_agenda (unit_id);
    CREATE INDEX IF NOT EXISTS resolutions_meeting ON resolutions (meeting_id, position);
    CREATE INDEX IF NOT EXISTS resolutions_obstacle ON resolutions (obstacle_id);
  `,
  handlers: {
    MeetingScheduled: (event, db) => {
      const d = event.data as MeetingScheduled['data'];
      db.run(
        `INSERT INTO meetings (meeting_id, workgroup_id, sequence_number, province, county, title, scheduled_at, venue, chair,
           status, revision, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'SCHEDULED', ?, ?) ON CONFLICT (meeting_id) DO NOTHING`,
        [d.meetingId, d.workgroupId, d.sequenceNumber, d.province, d.county, d.title, d.scheduledAt, d.venue, d.chair,
          event.revision, event.position],
      );
    },
    AgendaItemAdded: (event, db) => {
      const d = event.data as AgendaItemAdded['data'];
      db.run(
        `INSERT OR IGNORE INTO meeting_agenda (meeting_id, position, kind, subject_id, unit_id, zone_id, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [d.meetingId, event.position, d.kind, d.subjectId, d.unitId, d.zoneId ?? null, d.note],
      );
      db.run(`UPDATE meetings SET revision = ?, position = ? WHERE meeting_id = ?`, [event.revision, event.position, d.meetingId]);
    },
    MeetingHeld: (event, db) => {
      const d = event.data as MeetingHeld['data'];
      db.run(`UPDATE meetings SET status = 'HELD', held_at = ?, minutes = ?, revision = ?, position = ? WHERE meeting_id = ?`, [
        d.heldAt, d.minutes, event.revision, event.position, d.meetingId,
      ]);
      d.attendees.forEach((a, seq) =>
        db.run(`INSERT OR REPLACE INTO meeting_attendees (meeting_id, seq, name, agency, role) VALUES (?, ?, ?, ?, ?)`, [
          d.meetingId, seq, a.name, a.agency, a.role,
        ]),
      );
    },
    ResolutionRecorded: (event, db) => {
      const d = event.data as ResolutionRecorded['data'];
      db.run(
        `INSERT OR IGNORE INTO resolutions (resolution_id, meeting_id, text, lead_agency, lead_agency_id, cooperating_agencies, deadline,
           obstacle_id, unit_id, recorded_at, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [d.resolutionId, d.meetingId, d.text, d.leadAgency, d.leadAgencyId ?? null, JSON.stringify(d.cooperatingAgencies), d.deadline,
          d.obstacleId, d.unitId, d.recordedAt, event.position],
      );
    },
    MeetingPostponed: (event, db) => {
      const d = event.data as MeetingPostponed['data'];
      db.run(
        `UPDATE meetings SET status = 'POSTPONED', scheduled_at = ?, postponement_reason = ?, revision = ?, position = ? WHERE meeting_id = ?`,
        [d.to, d.reason, event.revision, event.position, d.meetingId],
      );
    },
    MeetingCancelled: (event, db) => {
      const d = event.data as MeetingCancelled['data'];
      db.run(
        `UPDATE meetings SET status = 'CANCELLED', cancellation_reason = ?, revision = ?, position = ? WHERE meeting_id = ?`,
        [d.reason, event.revision, event.position, d.meetingId],
      );
    },
  },
});

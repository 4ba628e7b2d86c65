/**
 * A unit's history as one timeline: its registration and status changes, the
 * obstacles raised for it and their course, the meetings that put it on the
 * agenda and discussed it, and the resolutions about it.
 */
import { formatJalali } from '../src/calendar/jalali';
import type { AgendaItemAdded, MeetingHeld, MeetingScheduled } from '../src/domain/meeting';
import type { ResolutionRecorded } from '../src/domain/resolution';
import type {
  ObstacleProgressRecorded,
  ObstacleRaised,
  ObstacleReferred,
  ObstacleReopened,
  ObstacleResolved,
} from '../src/domain/obstacle';
import type { ActivityStatus, UnitActivityStatusChanged, UnitRegistered } from '../src/domain/unit';
import type { RecordedEvent } from '../src/eventstore/event-store';
import { defineProjection, type ReadModelDb } from '../src/projection/projection';

export const TIMELINE_KINDS = [
  'REGISTERED',
  'ACTIVITY_STATUS_CHANGED',
  'OBSTACLE_RAISED',
  'OBSTACLE_REFERRED',
  'OBSTACLE_PROGRESS',
  'OBSTACLE_RESOLVED',
  'OBSTACLE_REOPENED',
  'PUT_ON_AGENDA',
  'DISCUSSED_IN_MEETING',
  'RESOLUTION_RECORDED',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

const STATUS_FA: Record<ActivityStatus, string> = { ACTIVE: 'فعال', SEMI_ACTIVE: 'نیمه‌فعال', INACTIVE: 'غیرفعال' };

interface Entry {
  kind: TimelineKind;
  subjectType: 'UNIT' | 'OBSTACLE' | 'MEETING' | 'RESOLUTION';
  subjectId: string;
  summary: string;
}

// One entry per (unit, event): the primary key makes a second application a no-op.
const add = (db: ReadModelDb, unitId: string, event: RecordedEvent, entry: Entry): void =>
  void db.run(
    `INSERT OR IGNORE INTO unit_history (unit_id, position, event_id, event_type, kind, occurred_at, actor,
       subject_type, subject_id, summary, stream_name, revision)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [unitId, event.position, event.id, event.type, entry.kind, event.metadata.occurredAt, event.metadata.actor,
      entry.subjectType, entry.subjectId, entry.summary, event.streamName, event.revision],
  );

const obstacleOf = (db: ReadModelDb, obstacleId: string): { unit_id: string; title: string } | undefined =>
  db.get(`SELECT unit_id, title FROM history_obstacles WHERE obstacle_id = ?`, [obstacleId]);

const meetingTitle = (db: ReadModelDb, meetingId: string): string =>
  db.get<{ title: string }>(`SELECT title FROM history_meetings WHERE meeting_id = ?`, [meetingId])?.title ?? '';

const onObstacle =
  (kind: TimelineKind, summary: (title: string, event: RecordedEvent) => string) =>
  (event: RecordedEvent, db: ReadModelDb): void => {
    const obstacleId = event.data.obstacleId as string;
    const obstacle = obstacleOf(db, obstacleId);
    if (!obstacle) return;
    add(db, obstacle.unit_id, event, { kind, subjectType: 'OBSTACLE', subjectId: obstacleId, summary: summary(obstacle.title, event) });
  };

export default defineProjection({
  name: 'unit-history',
  // 2: a referral's deadline is written as its Jalali date in Tehran (1405/09/30), not as the ISO date in UTC.
  version: 2,
  description: "Each unit's timeline: status changes, obstacles, meetings and resolutions, in the order they happened.",
  schema: `
    CREATE TABLE unit_history (
      unit_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      event_id TEXT NOT NULL,
      event_type TEXT NOT NULL,
      kind TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      actor TEXT NOT NULL,
      subject_type TEXT NOT NULL,
      subject_id TEXT NOT NULL,
      summary TEXT NOT NULL,
      stream_name TEXT NOT NULL,
      revision INTEGER NOT NULL,
      PRIMARY KEY (unit_id, position)
    );
    CREATE TABLE history_obstacles (obstacle_id TEXT PRIMARY KEY, unit_id TEXT NOT NULL, title TEXT NOT NULL);
    CREATE TABLE history_meetings (meeting_id TEXT PRIMARY KEY, title TEXT NOT NULL);
    CREATE TABLE history_meeting_units (meeting_id TEXT NOT NULL, unit_id TEXT NOT NULL, PRIMARY KEY (meeting_id, unit_id));
  `,
  // The history is listed in the order things happened: a page reads its rows from this index in order.
  indexes: `CREATE INDEX IF NOT EXISTS unit_history_occurred ON unit_history (unit_id, occurred_at, position)`,
  handlers: {
    UnitRegistered: (event, db) => {
      const d = event.data as UnitRegistered['data'];
      add(db, d.unitId, event, {
        kind: 'REGISTERED',
        subjectType: 'UNIT',
        subjectId: d.unitId,
        summary: `ثبت واحد «${d.name}» با وضعیت ${STATUS_FA[d.activityStatus]}`,
      });
    },
    UnitActivityStatusChanged: (event, db) => {
      const d = event.data as UnitActivityStatusChanged['data'];
      add(db, d.unitId, event, {
        kind: 'ACTIVITY_STATUS_CHANGED',
        subjectType: 'UNIT',
        subjectId: d.unitId,
        summary: `تغییر وضعیت از ${STATUS_FA[d.from]} به ${STATUS_FA[d.to]}: ${d.reason}`,
      });
    },
    ObstacleRaised: (event, db) => {
      const d = event.data as ObstacleRaised['data'];
      if (d.unitId === null) return; // a zone's obstacle: no unit's timeline
      db.run(`INSERT OR IGNORE INTO history_obstacles (obstacle_id, unit_id, title) VALUES (?, ?, ?)`, [d.obstacleId, d.unitId, d.title]);
      add(db, d.unitId, event, { kind: 'OBSTACLE_RAISED', subjectType: 'OBSTACLE', subjectId: d.obstacleId, summary: `طرح مانع «${d.title}»` });
    },
    ObstacleReferred: onObstacle('OBSTACLE_REFERRED', (title, e) => {
      const d = e.data as ObstacleReferred['data'];
      // The deadline as its readers count days: the Jalali date on Tehran's clock (an instant's UTC date can be the day before).
      return `ارجاع مانع «${title}» به ${d.leadAgency} با مهلت ${formatJalali(new Date(d.deadline))}`;
    }),
    ObstacleProgressRecorded: onObstacle(
      'OBSTACLE_PROGRESS',
      (title, e) => `پیشرفت مانع «${title}»: ${(e.data as ObstacleProgressRecorded['data']).note}`,
    ),
    ObstacleResolved: onObstacle(
      'OBSTACLE_RESOLVED',
      (title, e) => `رفع مانع «${title}»: ${(e.data as ObstacleResolved['data']).resolutionSummary}`,
    ),
    ObstacleReopened: onObstacle(
      'OBSTACLE_REOPENED',
      (title, e) => `بازگشایی مانع «${title}»: ${(e.data as ObstacleReopened['data']).reason}`,
    ),
    MeetingScheduled: (event, db) => {
      const d = event.data as MeetingScheduled['data'];
      db.run(`INSERT OR IGNORE INTO history_meetings (meeting_id, title) VALUES (?, ?)`, [d.meetingId, d.title]);
    },
    AgendaItemAdded: (event, db) => {
      const d = event.data as AgendaItemAdded['data'];
      if (d.unitId === null) return; // a zone's case: no unit's timeline
      db.run(`INSERT OR IGNORE INTO history_meeting_units (meeting_id, unit_id) VALUES (?, ?)`, [d.meetingId, d.unitId]);
      add(db, d.unitId, event, {
        kind: 'PUT_ON_AGENDA',
        subjectType: 'MEETING',
        subjectId: d.meetingId,
        summary: `در دستور جلسه «${meetingTitle(db, d.meetingId)}»`,
      });
    },
    MeetingHeld: (event, db) => {
      const d = event.data as MeetingHeld['data'];
      const title = meetingTitle(db, d.meetingId);
      const units = db.all<{ unit_id: string }>(`SELECT unit_id FROM history_meeting_units WHERE meeting_id = ?`, [d.meetingId]);
      for (const { unit_id } of units) {
        add(db, unit_id, event, { kind: 'DISCUSSED_IN_MEETING', subjectType: 'MEETING', subjectId: d.meetingId, summary: `بررسی در جلسه «${title}»` });
      }
    },
    ResolutionRecorded: (event, db) => {
      const d = event.data as ResolutionRecorded['data'];
      if (d.unitId === null) return;
      add(db, d.unitId, event, { kind: 'RESOLUTION_RECORDED', subjectType: 'RESOLUTION', subjectId: d.resolutionId, summary: `مصوبه: ${d.text}` });
    },
  },
});

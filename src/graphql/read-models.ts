/**
 * The query side: SQL over the projections' tables, one method per screen
 * need. Each projection is read through its own read-only connection.
 */
import type Database from 'better-sqlite3';
import type { ProjectionRuntime } from '../projection/runtime';
import type { TimelineKind } from '../../projections/unit-history';
import { DEFAULT_PAGE_SIZE, decodeCursor, toPage, type Page } from './connection';
import type { AgendaItem, Attendee, Meeting, Resolution } from './meeting.type';
import type { Obstacle } from './obstacle.type';
import type { TimelineEntry, Unit } from './unit.type';

type Row = Record<string, unknown>;
const date = (v: unknown): Date => new Date(v as string);
const dateOrNull = (v: unknown): Date | null => (v == null ? null : new Date(v as string));
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v == null ? null : String(v));

const toUnit = (r: Row): Unit => ({
  id: str(r.unit_id),
  name: str(r.name),
  nationalId: str(r.national_id),
  sector: str(r.sector),
  province: str(r.province),
  county: str(r.county),
  location: strOrNull(r.location),
  headCount: r.head_count == null ? null : Number(r.head_count),
  isicCode: strOrNull(r.isic_code),
  capacityUtilisation: r.capacity_utilisation == null ? null : Number(r.capacity_utilisation),
  activityStatus: r.activity_status as Unit['activityStatus'],
  statusReason: strOrNull(r.status_reason),
  statusChangedAt: date(r.status_changed_at),
  registeredAt: date(r.registered_at),
  openObstacleCount: Number(r.open_obstacles),
  revision: str(r.revision),
});

export const toObstacle = (r: Row): Obstacle => ({
  id: str(r.obstacle_id),
  unitId: strOrNull(r.unit_id),
  zoneId: strOrNull(r.zone_id),
  unitName: strOrNull(r.unit_name),
  province: str(r.province),
  county: str(r.county),
  title: str(r.title),
  description: str(r.description),
  category: r.category as Obstacle['category'],
  priority: r.priority as Obstacle['priority'],
  status: r.status as Obstacle['status'],
  leadAgency: strOrNull(r.lead_agency),
  leadAgencyId: strOrNull(r.lead_agency_id),
  cooperatingAgencies: JSON.parse(str(r.cooperating_agencies)) as string[],
  deadline: dateOrNull(r.deadline),
  raisedAt: date(r.raised_at),
  referredAt: dateOrNull(r.referred_at),
  lastProgressNote: strOrNull(r.last_progress_note),
  lastProgressAt: dateOrNull(r.last_progress_at),
  resolvedAt: dateOrNull(r.resolved_at),
  resolutionSummary: strOrNull(r.resolution_summary),
  timesReopened: Number(r.times_reopened),
  revision: str(r.revision),
});

const toMeeting = (r: Row): Meeting => ({
  id: str(r.meeting_id),
  workgroupId: strOrNull(r.workgroup_id),
  sequenceNumber: r.sequence_number == null ? null : Number(r.sequence_number),
  province: str(r.province),
  county: str(r.county),
  title: str(r.title),
  scheduledAt: date(r.scheduled_at),
  venue: str(r.venue),
  chair: str(r.chair),
  status: r.status as Meeting['status'],
  heldAt: dateOrNull(r.held_at),
  minutes: strOrNull(r.minutes),
  postponementReason: strOrNull(r.postponement_reason),
  cancellationReason: strOrNull(r.cancellation_reason),
  revision: str(r.revision),
});

const toResolution = (r: Row): Resolution => ({
  id: str(r.resolution_id),
  meetingId: str(r.meeting_id),
  text: str(r.text),
  leadAgency: str(r.lead_agency),
  leadAgencyId: strOrNull(r.lead_agency_id),
  cooperatingAgencies: JSON.parse(str(r.cooperating_agencies)) as string[],
  deadline: date(r.deadline),
  obstacleId: strOrNull(r.obstacle_id),
  unitId: strOrNull(r.unit_id),
  recordedAt: date(r.recorded_at),
});

const toTimelineEntry = (r: Row): TimelineEntry => ({
  kind: r.kind as TimelineKind,
  summary: str(r.summary),
  occurredAt: date(r.occurred_at),
  actor: str(r.actor),
  subjectType: str(r.subject_type),
  subjectId: str(r.subject_id),
  eventType: str(r.event_type),
  eventId: str(r.event_id),
  position: str(r.position),
});

export interface PageRequest {
  first?: number | null;
  after?: string | null;
}

/** A filter other than equality, e.g. `settled_at IS NULL AND deadline < ?`, with its parameters. */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/**
 * A keyset page over `table`, ordered by `orderBy` columns (the last one
 * unique). Filters are `column = value` pairs; undefined/null values are ignored.
 * `conditions` are ANDed with them.
 */
export const keysetPage = <T>(
  db: Database.Database,
  table: string,
  orderBy: readonly string[],
  filters: Record<string, unknown>,
  page: PageRequest,
  node: (row: Row) => T,
  conditions: readonly SqlCondition[] = [],
): Page<T> => {
  const first = page.first ?? DEFAULT_PAGE_SIZE;
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of Object.entries(filters)) {
    if (value === undefined || value === null) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  for (const condition of conditions) {
    where.push(`(${condition.sql})`);
    params.push(...condition.params);
  }
  const total = db.prepare(`SELECT COUNT(*) AS n FROM ${table}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`).get(...params) as {
    n: number;
  };
  const pageWhere = [...where];
  const pageParams = [...params];
  if (page.after) {
    const key = decodeCursor(page.after);
    // Row-value comparison: strictly after the cursor's sort key.
    pageWhere.push(`(${orderBy.join(', ')}) > (${orderBy.map(() => '?').join(', ')})`);
    pageParams.push(...key);
  }
  const rows = db
    .prepare(
      `SELECT * FROM ${table}${pageWhere.length ? ` WHERE ${pageWhere.join(' AND ')}` : ''} ORDER BY ${orderBy.join(', ')} LIMIT ?`,
    )
    .all(...pageParams, first + 1) as Row[];
  return toPage(rows, first, Boolean(page.after), total.n, (r) => orderBy.map((c) => r[c] as string | number), node);
};

export class ReadModels {
  constructor(private readonly runtime: ProjectionRuntime) {}

  private db(projection: string): Database.Database {
    return this.runtime.reader(projection);
  }

  unit(id: string): Unit | null {
    const row = this.db('units').prepare(`SELECT * FROM units WHERE unit_id = ?`).get(id) as Row | undefined;
    return row ? toUnit(row) : null;
  }

  units(
    filter: { county?: string | null; activityStatus?: string | null; zoneId?: string | null; sector?: string | null },
    page: PageRequest,
  ): Page<Unit> {
    return keysetPage(
      this.db('units'),
      'units',
      ['registered_at', 'unit_id'],
      { county: filter.county, activity_status: filter.activityStatus, zone_id: filter.zoneId, sector: filter.sector },
      page,
      toUnit,
    );
  }

  unitHistory(unitId: string, page: PageRequest): Page<TimelineEntry> {
    return keysetPage(this.db('unit-history'), 'unit_history', ['position'], { unit_id: unitId }, page, toTimelineEntry);
  }

  obstacle(id: string): Obstacle | null {
    const row = this.db('obstacles').prepare(`SELECT * FROM obstacles WHERE obstacle_id = ?`).get(id) as Row | undefined;
    return row ? toObstacle(row) : null;
  }

  obstacles(
    filter: {
      unitId?: string | null;
      county?: string | null;
      status?: string | null;
      category?: string | null;
      leadAgency?: string | null;
      leadAgencyId?: string | null;
    },
    page: PageRequest,
  ): Page<Obstacle> {
    return keysetPage(
      this.db('obstacles'),
      'obstacles',
      ['raised_at', 'obstacle_id'],
      {
        unit_id: filter.unitId,
        county: filter.county,
        status: filter.status,
        category: filter.category,
        lead_agency: filter.leadAgency,
        lead_agency_id: filter.leadAgencyId,
      },
      page,
      toObstacle,
    );
  }

  meeting(id: string): Meeting | null {
    const row = this.db('meetings').prepare(`SELECT * FROM meetings WHERE meeting_id = ?`).get(id) as Row | undefined;
    return row ? toMeeting(row) : null;
  }

  meetings(filter: { county?: string | null; status?: string | null }, page: PageRequest): Page<Meeting> {
    return keysetPage(this.db('meetings'), 'meetings', ['scheduled_at', 'meeting_id'], { county: filter.county, status: filter.status }, page, toMeeting);
  }

  agenda(meetingId: string): AgendaItem[] {
    return (this.db('meetings').prepare(`SELECT * FROM meeting_agenda WHERE meeting_id = ? ORDER BY position`).all(meetingId) as Row[]).map(
      (r) => ({ kind: r.kind as AgendaItem['kind'], subjectId: str(r.subject_id), unitId: str(r.unit_id), note: strOrNull(r.note) }),
    );
  }

  attendees(meetingId: string): Attendee[] {
    return (this.db('meetings').prepare(`SELECT * FROM meeting_attendees WHERE meeting_id = ? ORDER BY seq`).all(meetingId) as Row[]).map(
      (r) => ({ name: str(r.name), agency: str(r.agency), role: strOrNull(r.role) }),
    );
  }

  resolutionsOfMeeting(meetingId: string): Resolution[] {
    return (this.db('meetings').prepare(`SELECT * FROM resolutions WHERE meeting_id = ? ORDER BY position`).all(meetingId) as Row[]).map(toResolution);
  }

  resolutionsOfObstacle(obstacleId: string): Resolution[] {
    return (this.db('meetings').prepare(`SELECT * FROM resolutions WHERE obstacle_id = ? ORDER BY position`).all(obstacleId) as Row[]).map(toResolution);
  }

  resolution(id: string): Resolution | null {
    const row = this.db('meetings').prepare(`SELECT * FROM resolutions WHERE resolution_id = ?`).get(id) as Row | undefined;
    return row ? toResolution(row) : null;
  }
}

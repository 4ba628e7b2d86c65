/**
 * The follow-up's query side: SQL over the `resolutions`, `visits`,
 * `commitments` and `escalations` projections, and the level columns of
 * `obstacles`. Whether something is overdue is asked with the caller's clock.
 */
import type Database from 'better-sqlite3';
import type { Commitment as CommitmentState, CommitmentSource, CommitmentStatus } from '../domain/commitment';
import type { ObstacleLevel } from '../domain/obstacle';
import type { Resolution as ResolutionState, ResolutionOutcome, ResolutionStatus } from '../domain/resolution';
import { normalizePersian } from '../calendar/persian-text';
import type { ReadScope } from '../auth/scope';
import type { ProjectionRuntime } from '../projection/runtime';
import type { Commitment, CommitmentExtension } from './commitment.type';
import type { Page } from './connection';
import type { ObstacleLevelPeriod } from './escalation.type';
import { keysetPage, keysetPages, resolutionOrdering, rowById, rowsByIds, rowsOfParents, scoped, THROUGH_PARENT, type Ordering, type PageRequest, type SqlCondition } from './read-models';
import type { ResolutionCourse, ResolutionObjection, ResolutionWithCourse } from './resolution-follow-up.type';
import type { NamedUnit, Visit, Visitor, VisitFinding } from './visit.type';

type Row = Record<string, unknown>;
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v == null ? null : String(v));
const date = (v: unknown): Date => new Date(v as string);
const dateOrNull = (v: unknown): Date | null => (v == null ? null : new Date(v as string));
const json = <T>(v: unknown): T => JSON.parse(str(v)) as T;

const objectionOf = (r: Row): ResolutionObjection | null =>
  r.objected_at == null
    ? null
    : {
        agency: str(r.objection_agency),
        reason: str(r.objection_reason),
        objectedAt: date(r.objected_at),
        accepted: r.objection_accepted == null ? null : Number(r.objection_accepted) === 1,
        decidedAt: dateOrNull(r.objection_decided_at),
        note: strOrNull(r.objection_note),
      };

const toResolution = (r: Row): ResolutionWithCourse => {
  const objection = objectionOf(r);
  const status = r.status as ResolutionStatus;
  const state: ResolutionState = {
    status,
    resolutionId: str(r.resolution_id),
    meetingId: str(r.meeting_id),
    text: str(r.text),
    leadAgency: str(r.lead_agency),
    cooperatingAgencies: json<string[]>(r.cooperating_agencies),
    deadline: str(r.deadline),
    obstacleId: strOrNull(r.obstacle_id),
    unitId: strOrNull(r.unit_id),
    recordedAt: str(r.recorded_at),
    communicatedAt: strOrNull(r.communicated_at),
    objectionDeadline: strOrNull(r.objection_deadline),
    objection: objection && {
      agency: objection.agency,
      reason: objection.reason,
      objectedAt: str(r.objected_at),
      accepted: objection.accepted,
      decidedAt: strOrNull(r.objection_decided_at),
    },
    settledAt: strOrNull(r.settled_at),
  };
  const course: ResolutionCourse = {
    status,
    province: str(r.province),
    county: str(r.county),
    communicatedAt: dateOrNull(r.communicated_at),
    objectionWindowDays: r.objection_window_days == null ? null : Number(r.objection_window_days),
    objectionDeadline: dateOrNull(r.objection_deadline),
    objection,
    progressReports: Number(r.progress_reports),
    lastProgressNote: strOrNull(r.last_progress_note),
    lastProgressAt: dateOrNull(r.last_progress_at),
    outcome: (r.outcome ?? null) as ResolutionOutcome | null,
    outcomeNote: strOrNull(r.outcome_note),
    settledAt: dateOrNull(r.settled_at),
    revision: str(r.revision),
    state,
  };
  return {
    id: str(r.resolution_id),
    meetingId: str(r.meeting_id),
    text: str(r.text),
    leadAgency: str(r.lead_agency),
    leadAgencyId: strOrNull(r.lead_agency_id),
    cooperatingAgencies: json<string[]>(r.cooperating_agencies),
    deadline: date(r.deadline),
    obstacleId: strOrNull(r.obstacle_id),
    unitId: strOrNull(r.unit_id),
    recordedAt: date(r.recorded_at),
    course,
  };
};

const toVisit = (r: Row): Visit => ({
  id: str(r.visit_id),
  visitedAt: date(r.visited_at),
  province: str(r.province),
  county: str(r.county),
  zoneId: strOrNull(r.zone_id),
  purpose: str(r.purpose),
  findingsCount: Number(r.findings_count),
  revision: str(r.revision),
});

const toCommitment = (r: Row): Commitment => {
  const source: CommitmentSource = { kind: r.source_kind as CommitmentSource['kind'], id: str(r.source_id) };
  const status = r.status as CommitmentStatus;
  const state: CommitmentState = {
    status,
    commitmentId: str(r.commitment_id),
    madeBy: str(r.made_by),
    agency: strOrNull(r.agency),
    madeTo: str(r.made_to),
    source,
    province: str(r.province),
    county: str(r.county),
    zoneId: strOrNull(r.zone_id),
    unitIds: json<string[]>(r.unit_ids),
    madeAt: str(r.made_at),
    dueDate: str(r.due_date),
    originalDueDate: str(r.original_due_date),
    timesExtended: Number(r.times_extended),
    settledAt: strOrNull(r.settled_at),
  };
  return {
    id: str(r.commitment_id),
    madeBy: str(r.made_by),
    agency: strOrNull(r.agency),
    madeTo: str(r.made_to),
    description: str(r.description),
    dueDate: date(r.due_date),
    originalDueDate: date(r.original_due_date),
    timesExtended: Number(r.times_extended),
    source,
    province: str(r.province),
    county: str(r.county),
    zoneId: strOrNull(r.zone_id),
    status,
    madeAt: date(r.made_at),
    settledAt: dateOrNull(r.settled_at),
    evidence: strOrNull(r.evidence),
    revision: str(r.revision),
    state,
  };
};

const toLevelPeriod = (r: Row): ObstacleLevelPeriod => ({
  level: r.level as ObstacleLevel,
  fromLevel: (r.from_level ?? null) as ObstacleLevel | null,
  workgroupId: strOrNull(r.workgroup_id),
  reason: strOrNull(r.reason),
  since: date(r.since),
  actor: str(r.actor),
});

const toVisitor = (r: Row): Visitor => ({ name: str(r.name), agency: str(r.agency), role: strOrNull(r.role) });

const toFinding = (r: Row): VisitFinding => ({ findings: str(r.findings), recordedAt: date(r.recorded_at) });

const toExtension = (r: Row): CommitmentExtension => ({
  from: date(r.from_date),
  to: date(r.to_date),
  reason: str(r.reason),
  extendedAt: date(r.extended_at),
});

const toNamedUnit = (r: Row): NamedUnit => ({ unitId: str(r.unit_id), unitName: strOrNull(r.unit_name) });

/** `overdue: true` keeps what is late at `now`, `false` what is not; null or absent keeps both. */
const overdueCondition = (overdue: boolean | null | undefined, late: string, now: Date): SqlCondition[] => {
  if (overdue === undefined || overdue === null) return [];
  const params = [now.toISOString()];
  return [{ sql: overdue ? late : `NOT (${late})`, params }];
};

/** The follow-up's read models as one caller sees them (the scope of `ReadModels`, src/auth/scope.ts). */
export class FollowUpReadModels {
  constructor(
    private readonly runtime: ProjectionRuntime,
    private readonly scope: ReadScope,
  ) {}

  private db(projection: string): Database.Database {
    return this.runtime.reader(projection);
  }

  // ─── Resolutions ─────────────────────────────────────────────────────────

  resolution(id: string): ResolutionWithCourse | null {
    return rowById(this.db('resolutions'), 'resolutions', scoped(this.scope, 'resolution'), 'resolution_id', id, toResolution);
  }

  /** Times are stored in UTC (see the projection), so `deadline < now` compares instants. */
  resolutions(
    filter: { status?: string | null; leadAgency?: string | null; county?: string | null; overdue?: boolean | null },
    page: PageRequest,
    now: Date,
    orderBy: Ordering = resolutionOrdering(null, null),
  ): Page<ResolutionWithCourse> {
    return keysetPage(
      this.db('resolutions'),
      'resolutions',
      scoped(this.scope, 'resolution'),
      orderBy,
      { status: filter.status, lead_agency: filter.leadAgency, county: filter.county },
      page,
      toResolution,
      overdueCondition(filter.overdue, 'settled_at IS NULL AND deadline < ?', now),
    );
  }

  // ─── Visits ──────────────────────────────────────────────────────────────

  visit(id: string): Visit | null {
    return rowById(this.db('visits'), 'visits', scoped(this.scope, 'visit'), 'visit_id', id, toVisit);
  }

  visits(filter: { county?: string | null; zoneId?: string | null }, page: PageRequest): Page<Visit> {
    return keysetPage(
      this.db('visits'),
      'visits',
      scoped(this.scope, 'visit'),
      ['visited_at', 'visit_id'],
      { county: filter.county, zone_id: filter.zoneId },
      page,
      toVisit,
    );
  }

  // ─── Commitments ─────────────────────────────────────────────────────────

  commitment(id: string): Commitment | null {
    return rowById(this.db('commitments'), 'commitments', scoped(this.scope, 'commitment'), 'commitment_id', id, toCommitment);
  }

  /** `madeTo` matches anywhere in the text, compared through `normalizePersian` on both sides. */
  commitments(
    filter: { county?: string | null; madeTo?: string | null; status?: string | null; overdue?: boolean | null; sourceKind?: string | null; sourceId?: string | null },
    page: PageRequest,
    now: Date,
  ): Page<Commitment> {
    const madeTo = filter.madeTo == null ? '' : normalizePersian(filter.madeTo);
    return keysetPage(
      this.db('commitments'),
      'commitments',
      scoped(this.scope, 'commitment'),
      ['made_at', 'commitment_id'],
      { county: filter.county, status: filter.status, source_kind: filter.sourceKind, source_id: filter.sourceId },
      page,
      toCommitment,
      [
        // instr, not LIKE: a % or _ typed by the user is a character to find, not a wildcard.
        ...(madeTo === '' ? [] : [{ sql: 'instr(made_to_search, ?) > 0', params: [madeTo] }]),
        ...overdueCondition(filter.overdue, `status = 'OPEN' AND due_date < ?`, now),
      ],
    );
  }

  // ─── Batches: one statement for many parents, for the per-request loaders ──

  resolutionsByIds(ids: readonly string[]): Map<string, ResolutionWithCourse> {
    return rowsByIds(this.db('resolutions'), 'resolutions', scoped(this.scope, 'resolution'), 'resolution_id', ids, toResolution);
  }

  /** Levels of cases the caller sees (the columns of the obstacles read model). */
  obstacleLevels(obstacleIds: readonly string[]): Map<string, { level: ObstacleLevel; workgroupId: string | null }> {
    return rowsByIds(this.db('obstacles'), 'obstacles', scoped(this.scope, 'obstacle'), 'obstacle_id', obstacleIds, (row) => ({
      level: row.level as ObstacleLevel,
      workgroupId: strOrNull(row.workgroup_id),
    }));
  }

  levelHistories(obstacleIds: readonly string[]): Map<string, ObstacleLevelPeriod[]> {
    return rowsOfParents(this.db('escalations'), 'obstacle_levels', THROUGH_PARENT, 'obstacle_id', obstacleIds, 'position', toLevelPeriod);
  }

  visitsByIds(ids: readonly string[]): Map<string, Visit> {
    return rowsByIds(this.db('visits'), 'visits', scoped(this.scope, 'visit'), 'visit_id', ids, toVisit);
  }

  visitorsOf(visitIds: readonly string[]): Map<string, Visitor[]> {
    return rowsOfParents(this.db('visits'), 'visit_visitors', THROUGH_PARENT, 'visit_id', visitIds, 'seq', toVisitor);
  }

  visitedUnitsOf(visitIds: readonly string[]): Map<string, NamedUnit[]> {
    return rowsOfParents(this.db('visits'), 'visit_units', THROUGH_PARENT, 'visit_id', visitIds, 'seq', toNamedUnit);
  }

  findingsOf(visitIds: readonly string[]): Map<string, VisitFinding[]> {
    return rowsOfParents(this.db('visits'), 'visit_findings', THROUGH_PARENT, 'visit_id', visitIds, 'position', toFinding);
  }

  obstacleIdsOfVisits(visitIds: readonly string[]): Map<string, string[]> {
    return rowsOfParents(this.db('visits'), 'visit_obstacles', THROUGH_PARENT, 'visit_id', visitIds, 'position', (r) => str(r.obstacle_id));
  }

  commitmentsByIds(ids: readonly string[]): Map<string, Commitment> {
    return rowsByIds(this.db('commitments'), 'commitments', scoped(this.scope, 'commitment'), 'commitment_id', ids, toCommitment);
  }

  /** The commitments made at each meeting or visit, a page each, earliest first. */
  commitmentsOfSources(kind: CommitmentSource['kind'], sourceIds: readonly string[], page: PageRequest): Map<string, Page<Commitment>> {
    return keysetPages(
      this.db('commitments'),
      'commitments',
      scoped(this.scope, 'commitment'),
      ['made_at', 'commitment_id'],
      'source_id',
      sourceIds,
      { source_kind: kind },
      page,
      toCommitment,
    );
  }

  commitmentUnitsOf(commitmentIds: readonly string[]): Map<string, NamedUnit[]> {
    return rowsOfParents(this.db('commitments'), 'commitment_units', THROUGH_PARENT, 'commitment_id', commitmentIds, 'seq', toNamedUnit);
  }

  extensionsOf(commitmentIds: readonly string[]): Map<string, CommitmentExtension[]> {
    return rowsOfParents(this.db('commitments'), 'commitment_extensions', THROUGH_PARENT, 'commitment_id', commitmentIds, 'position', toExtension);
  }
}

/** The request's follow-up read models, in the scope of its `ReadModels`. */
export const followUpReadModels = (ctx: { runtime: ProjectionRuntime; readModels: { scope: ReadScope } }): FollowUpReadModels =>
  new FollowUpReadModels(ctx.runtime, ctx.readModels.scope);

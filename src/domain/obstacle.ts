/**
 * Obstacle, or case (مانع / پرونده): a problem raised for a production unit or
 * for a whole zone, referred to a lead agency, followed up, escalated from the
 * county to the province to the national HQ when it is not solved, resolved
 * once every resolution on it is settled, and reopened when that did not hold.
 */
import {
  DomainError,
  alreadyExists,
  badUserInput,
  instant,
  invalidTransition,
  notFound,
  unreachable,
  type Decider,
  type DomainEvent,
} from './decider';

export const OBSTACLE_CATEGORIES = [
  'BANKING', // تسهیلات بانکی و امهال: over half of all cases
  'SOCIAL_SECURITY', // بدهی تامین اجتماعی و بیمه
  'TAX',
  'CUSTOMS',
  'UTILITIES', // آب، برق، گاز، سوخت
  'LAND', // زمین و جابه‌جایی
  'PERMITS', // مجوزها و استاندارد
  'RAW_MATERIALS', // مواد اولیه و ارز
  'MUNICIPAL',
  'TELECOM',
  'ENVIRONMENT',
  'JUDICIAL',
  'OTHER',
] as const;
export type ObstacleCategory = (typeof OBSTACLE_CATEGORIES)[number];

export const OBSTACLE_PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const;
export type ObstaclePriority = (typeof OBSTACLE_PRIORITIES)[number];

export const OBSTACLE_STATUSES = ['OPEN', 'REFERRED', 'IN_PROGRESS', 'RESOLVED'] as const;
export type ObstacleStatus = (typeof OBSTACLE_STATUSES)[number];

/** The level of the body handling the case, lowest first: a case only ever moves up, one level at a time. */
export const OBSTACLE_LEVELS = ['COUNTY', 'PROVINCE', 'NATIONAL'] as const;
export type ObstacleLevel = (typeof OBSTACLE_LEVELS)[number];
export type EscalationLevel = Exclude<ObstacleLevel, 'COUNTY'>;

export const OBSTACLE_SOURCE_KINDS = ['MEETING', 'VISIT'] as const;
/** Where the case came up: a meeting's discussion or a field visit's findings. */
export interface ObstacleSource {
  kind: (typeof OBSTACLE_SOURCE_KINDS)[number];
  id: string;
}

// ─── Events ────────────────────────────────────────────────────────────────

export type ObstacleRaised = DomainEvent<
  'ObstacleRaised',
  {
    obstacleId: string;
    /** Exactly one of `unitId` and `zoneId` is set: the case is a unit's, or a whole zone's (telecom, paving, utilities). */
    unitId: string | null;
    zoneId: string | null;
    /** Copied from the unit or zone when raised: jurisdiction checks read it from this stream. */
    province: string;
    county: string;
    title: string;
    description: string;
    category: ObstacleCategory;
    priority: ObstaclePriority;
    source: ObstacleSource | null;
    raisedAt: string;
    /**
     * The body that took the case up: the workgroup of the meeting it was raised in; null when it was
     * raised elsewhere (a visit, the secretariat's desk), and absent in events recorded before this was kept.
     */
    workgroupId?: string | null;
  }
>;
export type ObstacleReferred = DomainEvent<
  'ObstacleReferred',
  {
    obstacleId: string;
    leadAgency: string;
    /** The agency's id in the registry; null for an agency named only by text (and in events recorded before the registry). */
    leadAgencyId?: string | null;
    cooperatingAgencies: string[];
    deadline: string;
    referredAt: string;
  }
>;
export type ObstacleProgressRecorded = DomainEvent<
  'ObstacleProgressRecorded',
  { obstacleId: string; note: string; recordedAt: string }
>;
export type ObstacleResolved = DomainEvent<
  'ObstacleResolved',
  { obstacleId: string; resolutionSummary: string; resolvedAt: string }
>;
export type ObstacleReopened = DomainEvent<'ObstacleReopened', { obstacleId: string; reason: string; reopenedAt: string }>;
export type ResolutionLinked = DomainEvent<'ResolutionLinked', { obstacleId: string; resolutionId: string; linkedAt: string }>;
export type ObstacleEscalated = DomainEvent<
  'ObstacleEscalated',
  {
    obstacleId: string;
    fromLevel: ObstacleLevel;
    toLevel: EscalationLevel;
    toWorkgroupId: string;
    reason: string;
    escalatedAt: string;
  }
>;

export type ObstacleEvent =
  | ObstacleRaised
  | ObstacleReferred
  | ObstacleProgressRecorded
  | ObstacleResolved
  | ObstacleReopened
  | ResolutionLinked
  | ObstacleEscalated;

// ─── Commands ──────────────────────────────────────────────────────────────

/** Facts: whether the unit or zone named exists; the flag for the one not named is not read. */
export type RaiseObstacle = {
  type: 'RaiseObstacle';
  data: ObstacleRaised['data'] & { unitExists: boolean; zoneExists: boolean };
};
export type ReferObstacle = { type: 'ReferObstacle'; data: ObstacleReferred['data'] };
export type RecordObstacleProgress = { type: 'RecordObstacleProgress'; data: ObstacleProgressRecorded['data'] };
/** Fact: which of the obstacle's linked resolutions (`resolutionIds`) are not settled yet (`isSettled`). */
export type ResolveObstacle = {
  type: 'ResolveObstacle';
  data: ObstacleResolved['data'] & { unsettledResolutionIds: string[] };
};
export type ReopenObstacle = { type: 'ReopenObstacle'; data: ObstacleReopened['data'] };
export type LinkResolution = { type: 'LinkResolution'; data: ResolutionLinked['data'] };
export type EscalateObstacle = { type: 'EscalateObstacle'; data: Omit<ObstacleEscalated['data'], 'fromLevel'> };

export type ObstacleCommand =
  | RaiseObstacle
  | ReferObstacle
  | RecordObstacleProgress
  | ResolveObstacle
  | ReopenObstacle
  | LinkResolution
  | EscalateObstacle;

// ─── State ─────────────────────────────────────────────────────────────────

export type Obstacle =
  | { status: 'ABSENT' }
  | {
      status: ObstacleStatus;
      obstacleId: string;
      unitId: string | null;
      zoneId: string | null;
      province: string;
      county: string;
      title: string;
      category: ObstacleCategory;
      priority: ObstaclePriority;
      leadAgency: string | null;
      /** Registry id of the lead agency; null when it was referred by name only (no agency user may act on it). */
      leadAgencyId: string | null;
      cooperatingAgencies: string[];
      deadline: string | null;
      raisedAt: string;
      resolvedAt: string | null;
      resolutionSummary: string | null;
      timesReopened: number;
      level: ObstacleLevel;
      /** The body handling the case: the one it was escalated to, else the workgroup whose meeting raised it; null when neither is known. */
      workgroupId: string | null;
      resolutionIds: string[];
    };

type ExistingObstacle = Exclude<Obstacle, { status: 'ABSENT' }>;

export const initialState = (): Obstacle => ({ status: 'ABSENT' });

// ─── evolve ────────────────────────────────────────────────────────────────

export const evolve = (state: Obstacle, event: ObstacleEvent): Obstacle => {
  if (event.type === 'ObstacleRaised') {
    const { description: _description, source: _source, ...raised } = event.data;
    return {
      ...raised,
      status: 'OPEN',
      leadAgency: null,
      leadAgencyId: null,
      cooperatingAgencies: [],
      deadline: null,
      resolvedAt: null,
      resolutionSummary: null,
      timesReopened: 0,
      level: 'COUNTY',
      workgroupId: event.data.workgroupId ?? null,
      resolutionIds: [],
    };
  }
  if (state.status === 'ABSENT') return state;
  switch (event.type) {
    case 'ObstacleReferred':
      return {
        ...state,
        status: 'REFERRED',
        leadAgency: event.data.leadAgency,
        leadAgencyId: event.data.leadAgencyId ?? null,
        cooperatingAgencies: event.data.cooperatingAgencies,
        deadline: event.data.deadline,
      };
    case 'ObstacleProgressRecorded':
      return { ...state, status: 'IN_PROGRESS' };
    case 'ObstacleResolved':
      return {
        ...state,
        status: 'RESOLVED',
        resolvedAt: event.data.resolvedAt,
        resolutionSummary: event.data.resolutionSummary,
      };
    case 'ObstacleReopened':
      // Back to the agency it was referred to, if any: reopening does not erase the referral.
      return {
        ...state,
        status: state.leadAgency ? 'REFERRED' : 'OPEN',
        resolvedAt: null,
        resolutionSummary: null,
        timesReopened: state.timesReopened + 1,
      };
    case 'ResolutionLinked':
      return { ...state, resolutionIds: [...state.resolutionIds, event.data.resolutionId] };
    case 'ObstacleEscalated':
      return { ...state, level: event.data.toLevel, workgroupId: event.data.toWorkgroupId };
    default:
      return unreachable(event);
  }
};

// ─── decide ────────────────────────────────────────────────────────────────

export const decide = (command: ObstacleCommand, state: Obstacle): ObstacleEvent[] => {
  if (command.type === 'RaiseObstacle') {
    if (state.status !== 'ABSENT') throw alreadyExists('obstacle', 'obstacleId', command.data.obstacleId);
    const { unitExists, zoneExists, ...data } = command.data;
    if ((data.unitId === null) === (data.zoneId === null)) {
      throw new DomainError('BAD_USER_INPUT', 'an obstacle is raised for a unit or for a zone: name exactly one', {
        fields: ['unitId', 'zoneId'].map((field) => ({ field, messages: ['give exactly one of unitId and zoneId'] })),
      });
    }
    if (data.unitId !== null && !unitExists) throw notFound('unit', data.unitId);
    if (data.zoneId !== null && !zoneExists) throw notFound('zone', data.zoneId);
    return [{ type: 'ObstacleRaised', data }];
  }
  if (state.status === 'ABSENT') throw notFound('obstacle', command.data.obstacleId);

  switch (command.type) {
    case 'ReferObstacle':
      if (state.status === 'RESOLVED') throw invalidTransition('obstacle', state.status, 'refer');
      // Negated so that a time that does not parse (NaN) is rejected too.
      if (!(instant(command.data.deadline) >= instant(command.data.referredAt))) {
        throw badUserInput('deadline', 'the deadline is before the referral', 'deadline must not be before the referral time');
      }
      return [{ type: 'ObstacleReferred', data: { ...command.data } }];
    case 'RecordObstacleProgress':
      // Progress is what the lead agency reports: there is none before a referral.
      if (state.status !== 'REFERRED' && state.status !== 'IN_PROGRESS') {
        throw invalidTransition('obstacle', state.status, 'record progress');
      }
      return [{ type: 'ObstacleProgressRecorded', data: { ...command.data } }];
    case 'ResolveObstacle': {
      if (state.status === 'RESOLVED') throw invalidTransition('obstacle', state.status, 'resolve');
      const { unsettledResolutionIds, ...data } = command.data;
      // A case is closed (مختومه) only when every resolution on it is settled.
      if (unsettledResolutionIds.length > 0) {
        throw new DomainError(
          'INVALID_TRANSITION',
          `cannot resolve: resolution(s) ${unsettledResolutionIds.join(', ')} of the obstacle are not settled yet`,
          { status: state.status, command: 'resolve', unsettledResolutionIds },
        );
      }
      return [{ type: 'ObstacleResolved', data }];
    }
    case 'ReopenObstacle':
      if (state.status !== 'RESOLVED') throw invalidTransition('obstacle', state.status, 'reopen');
      return [{ type: 'ObstacleReopened', data: { ...command.data } }];
    case 'LinkResolution':
      // A retried link, or the same resolution recorded twice against the case.
      if (state.resolutionIds.includes(command.data.resolutionId)) return [];
      // A new resolution on a closed case would leave it closed with work outstanding: reopen it first.
      if (state.status === 'RESOLVED') throw invalidTransition('obstacle', state.status, 'link a resolution');
      return [{ type: 'ResolutionLinked', data: { ...command.data } }];
    case 'EscalateObstacle':
      return [escalation(state, command.data)];
    default:
      return unreachable(command);
  }
};

/** Up one level, never sideways, down or over a level; a resolved case stays where it was resolved. */
const escalation = (state: ExistingObstacle, data: EscalateObstacle['data']): ObstacleEscalated => {
  const verb = `escalate to ${data.toLevel}`;
  if (state.status === 'RESOLVED') throw invalidTransition('obstacle', state.status, verb);
  const from = OBSTACLE_LEVELS.indexOf(state.level);
  const to = OBSTACLE_LEVELS.indexOf(data.toLevel);
  if (to !== from + 1) {
    const why = to <= from ? `it is already at ${state.level}` : `it is at ${state.level} and moves up one level at a time`;
    throw new DomainError('INVALID_TRANSITION', `cannot ${verb}: ${why}`, {
      status: state.status,
      command: verb,
      level: state.level,
    });
  }
  return { type: 'ObstacleEscalated', data: { ...data, fromLevel: state.level } };
};

export const obstacleDecider: Decider<ObstacleCommand, ObstacleEvent, Obstacle> = {
  category: 'obstacle',
  initialState,
  evolve,
  decide,
};

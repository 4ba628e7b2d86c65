/**
 * Obstacle, or case (مانع / پرونده): a problem raised for a production unit,
 * referred to a lead agency, followed up, resolved, and reopened when the
 * resolution did not hold.
 */
import { DomainError, instant, invalidTransition, notFound, unreachable, type Decider, type DomainEvent } from './decider';

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

// ─── Events ────────────────────────────────────────────────────────────────

export type ObstacleRaised = DomainEvent<
  'ObstacleRaised',
  {
    obstacleId: string;
    unitId: string;
    /** Copied from the unit when raised: jurisdiction checks read it from this stream. */
    province: string;
    county: string;
    title: string;
    description: string;
    category: ObstacleCategory;
    priority: ObstaclePriority;
    raisedAt: string;
  }
>;
export type ObstacleReferred = DomainEvent<
  'ObstacleReferred',
  { obstacleId: string; leadAgency: string; cooperatingAgencies: string[]; deadline: string; referredAt: string }
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

export type ObstacleEvent =
  | ObstacleRaised
  | ObstacleReferred
  | ObstacleProgressRecorded
  | ObstacleResolved
  | ObstacleReopened;

// ─── Commands ──────────────────────────────────────────────────────────────

export type RaiseObstacle = { type: 'RaiseObstacle'; data: ObstacleRaised['data'] & { unitExists: boolean } };
export type ReferObstacle = { type: 'ReferObstacle'; data: ObstacleReferred['data'] };
export type RecordObstacleProgress = { type: 'RecordObstacleProgress'; data: ObstacleProgressRecorded['data'] };
export type ResolveObstacle = { type: 'ResolveObstacle'; data: ObstacleResolved['data'] };
export type ReopenObstacle = { type: 'ReopenObstacle'; data: ObstacleReopened['data'] };

export type ObstacleCommand = RaiseObstacle | ReferObstacle | RecordObstacleProgress | ResolveObstacle | ReopenObstacle;

// ─── State ─────────────────────────────────────────────────────────────────

export type Obstacle =
  | { status: 'ABSENT' }
  | {
      status: ObstacleStatus;
      obstacleId: string;
      unitId: string;
      province: string;
      county: string;
      title: string;
      category: ObstacleCategory;
      priority: ObstaclePriority;
      leadAgency: string | null;
      cooperatingAgencies: string[];
      deadline: string | null;
      raisedAt: string;
      resolvedAt: string | null;
      resolutionSummary: string | null;
      timesReopened: number;
    };

export const initialState = (): Obstacle => ({ status: 'ABSENT' });

// ─── evolve ────────────────────────────────────────────────────────────────

export const evolve = (state: Obstacle, event: ObstacleEvent): Obstacle => {
  if (event.type === 'ObstacleRaised') {
    const { description: _description, ...raised } = event.data;
    return {
      ...raised,
      status: 'OPEN',
      leadAgency: null,
      cooperatingAgencies: [],
      deadline: null,
      resolvedAt: null,
      resolutionSummary: null,
      timesReopened: 0,
    };
  }
  if (state.status === 'ABSENT') return state;
  switch (event.type) {
    case 'ObstacleReferred':
      return {
        ...state,
        status: 'REFERRED',
        leadAgency: event.data.leadAgency,
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
    default:
      return unreachable(event);
  }
};

// ─── decide ────────────────────────────────────────────────────────────────

export const decide = (command: ObstacleCommand, state: Obstacle): ObstacleEvent[] => {
  if (command.type === 'RaiseObstacle') {
    if (state.status !== 'ABSENT') {
      throw new DomainError('CONFLICT', `obstacle ${command.data.obstacleId} already exists`, {
        obstacleId: command.data.obstacleId,
      });
    }
    const { unitExists, ...data } = command.data;
    if (!unitExists) throw notFound('unit', data.unitId);
    return [{ type: 'ObstacleRaised', data }];
  }
  if (state.status === 'ABSENT') throw notFound('obstacle', command.data.obstacleId);

  switch (command.type) {
    case 'ReferObstacle':
      if (state.status === 'RESOLVED') throw invalidTransition('obstacle', state.status, 'refer');
      // Negated so that a time that does not parse (NaN) is rejected too.
      if (!(instant(command.data.deadline) >= instant(command.data.referredAt))) {
        throw new DomainError('BAD_USER_INPUT', 'the deadline is before the referral', {
          fields: [{ field: 'deadline', messages: ['deadline must not be before the referral time'] }],
        });
      }
      return [{ type: 'ObstacleReferred', data: { ...command.data } }];
    case 'RecordObstacleProgress':
      // Progress is what the lead agency reports: there is none before a referral.
      if (state.status !== 'REFERRED' && state.status !== 'IN_PROGRESS') {
        throw invalidTransition('obstacle', state.status, 'record progress');
      }
      return [{ type: 'ObstacleProgressRecorded', data: { ...command.data } }];
    case 'ResolveObstacle':
      if (state.status === 'RESOLVED') throw invalidTransition('obstacle', state.status, 'resolve');
      return [{ type: 'ObstacleResolved', data: { ...command.data } }];
    case 'ReopenObstacle':
      if (state.status !== 'RESOLVED') throw invalidTransition('obstacle', state.status, 'reopen');
      return [{ type: 'ObstacleReopened', data: { ...command.data } }];
    default:
      return unreachable(command);
  }
};

export const obstacleDecider: Decider<ObstacleCommand, ObstacleEvent, Obstacle> = {
  category: 'obstacle',
  initialState,
  evolve,
  decide,
};

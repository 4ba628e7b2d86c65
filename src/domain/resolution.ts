/**
 * Resolution (مصوبه): "it was resolved that…" (مقرر شد), recorded in a held
 * meeting, with a lead agency and a deadline. It is communicated (ابلاغ) to
 * the agencies; the lead agency may object once, within a window; then its
 * progress is reported and its outcome recorded. Whether it is overdue is
 * derived from the clock (`isOverdue`), never stored.
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

export const RESOLUTION_OUTCOMES = [
  'IMPLEMENTED', // اجرا شد
  'NOT_IMPLEMENTED', // اجرا نشد
  'NO_ACTION', // بلااقدام
] as const;
export type ResolutionOutcome = (typeof RESOLUTION_OUTCOMES)[number];

export const RESOLUTION_STATUSES = [
  'RECORDED',
  'COMMUNICATED',
  'OBJECTED',
  'IN_PROGRESS',
  ...RESOLUTION_OUTCOMES,
  'WITHDRAWN',
] as const;
export type ResolutionStatus = (typeof RESOLUTION_STATUSES)[number];

/** The objection window the seeds report; the caller passes it, so a body may use another. */
export const DEFAULT_OBJECTION_WINDOW_DAYS = 15;

// ─── Events ────────────────────────────────────────────────────────────────

export type ResolutionRecorded = DomainEvent<
  'ResolutionRecorded',
  {
    meetingId: string;
    resolutionId: string;
    text: string;
    leadAgency: string;
    /** The agency's id in the registry; null for an agency named only by text (and in events recorded before the registry). */
    leadAgencyId?: string | null;
    cooperatingAgencies: string[];
    deadline: string;
    obstacleId: string | null;
    unitId: string | null;
    recordedAt: string;
  }
>;
export type ResolutionCommunicated = DomainEvent<
  'ResolutionCommunicated',
  {
    resolutionId: string;
    communicatedAt: string;
    objectionWindowDays: number;
    /** `communicatedAt` plus the window, in whole days of 24 hours (Tehran keeps no daylight saving). */
    objectionDeadline: string;
  }
>;
export type ResolutionObjected = DomainEvent<
  'ResolutionObjected',
  { resolutionId: string; agency: string; reason: string; objectedAt: string }
>;
/** The objection was accepted: the resolution no longer binds anyone. */
export type ResolutionWithdrawn = DomainEvent<'ResolutionWithdrawn', { resolutionId: string; note: string; decidedAt: string }>;
/** The objection was rejected: the resolution stands, and cannot be objected to again. */
export type ResolutionObjectionRejected = DomainEvent<
  'ResolutionObjectionRejected',
  { resolutionId: string; note: string; decidedAt: string }
>;
export type ResolutionProgressReported = DomainEvent<
  'ResolutionProgressReported',
  { resolutionId: string; note: string; reportedAt: string }
>;
export type ResolutionOutcomeRecorded = DomainEvent<
  'ResolutionOutcomeRecorded',
  { resolutionId: string; outcome: ResolutionOutcome; note: string; recordedAt: string }
>;

export type ResolutionEvent =
  | ResolutionRecorded
  | ResolutionCommunicated
  | ResolutionObjected
  | ResolutionWithdrawn
  | ResolutionObjectionRejected
  | ResolutionProgressReported
  | ResolutionOutcomeRecorded;

// ─── Commands ──────────────────────────────────────────────────────────────

/**
 * Facts from other aggregates: `meetingHeld` is `canRecordResolutions(meeting)`,
 * `meetingHeldAt` when it was held; `obstacleExists` is only read when `obstacleId` is set.
 */
export type RecordResolution = {
  type: 'RecordResolution';
  data: ResolutionRecorded['data'] & { meetingHeld: boolean; obstacleExists: boolean; meetingHeldAt?: string | null };
};
export type CommunicateResolution = {
  type: 'CommunicateResolution';
  data: { resolutionId: string; communicatedAt: string; objectionWindowDays: number };
};
export type ObjectToResolution = { type: 'ObjectToResolution'; data: ResolutionObjected['data'] };
export type DecideObjection = {
  type: 'DecideObjection';
  data: { resolutionId: string; accepted: boolean; note: string; decidedAt: string };
};
export type ReportResolutionProgress = { type: 'ReportResolutionProgress'; data: ResolutionProgressReported['data'] };
export type RecordResolutionOutcome = { type: 'RecordResolutionOutcome'; data: ResolutionOutcomeRecorded['data'] };

export type ResolutionCommand =
  | RecordResolution
  | CommunicateResolution
  | ObjectToResolution
  | DecideObjection
  | ReportResolutionProgress
  | RecordResolutionOutcome;

// ─── State ─────────────────────────────────────────────────────────────────

export interface Objection {
  agency: string;
  reason: string;
  objectedAt: string;
  /** Null while the objection awaits a decision. */
  accepted: boolean | null;
  decidedAt: string | null;
}

export type Resolution =
  | { status: 'ABSENT' }
  | {
      status: ResolutionStatus;
      resolutionId: string;
      meetingId: string;
      text: string;
      leadAgency: string;
      cooperatingAgencies: string[];
      deadline: string;
      obstacleId: string | null;
      unitId: string | null;
      recordedAt: string;
      communicatedAt: string | null;
      objectionDeadline: string | null;
      /** The one objection a resolution may receive. */
      objection: Objection | null;
      /** When it was implemented, not implemented, found without action, or withdrawn. */
      settledAt: string | null;
    };

type ExistingResolution = Exclude<Resolution, { status: 'ABSENT' }>;

export const initialState = (): Resolution => ({ status: 'ABSENT' });

// ─── evolve ────────────────────────────────────────────────────────────────

const decided = (objection: Objection | null, accepted: boolean, decidedAt: string): Objection | null =>
  objection && { ...objection, accepted, decidedAt };

export const evolve = (state: Resolution, event: ResolutionEvent): Resolution => {
  if (event.type === 'ResolutionRecorded') {
    return {
      status: 'RECORDED',
      ...event.data,
      communicatedAt: null,
      objectionDeadline: null,
      objection: null,
      settledAt: null,
    };
  }
  if (state.status === 'ABSENT') return state;
  switch (event.type) {
    case 'ResolutionCommunicated':
      return {
        ...state,
        status: 'COMMUNICATED',
        communicatedAt: event.data.communicatedAt,
        objectionDeadline: event.data.objectionDeadline,
      };
    case 'ResolutionObjected': {
      const { agency, reason, objectedAt } = event.data;
      return { ...state, status: 'OBJECTED', objection: { agency, reason, objectedAt, accepted: null, decidedAt: null } };
    }
    case 'ResolutionWithdrawn':
      return {
        ...state,
        status: 'WITHDRAWN',
        objection: decided(state.objection, true, event.data.decidedAt),
        settledAt: event.data.decidedAt,
      };
    case 'ResolutionObjectionRejected':
      return { ...state, status: 'COMMUNICATED', objection: decided(state.objection, false, event.data.decidedAt) };
    case 'ResolutionProgressReported':
      return { ...state, status: 'IN_PROGRESS' };
    case 'ResolutionOutcomeRecorded':
      return { ...state, status: event.data.outcome, settledAt: event.data.recordedAt };
    default:
      return unreachable(event);
  }
};

// ─── decide ────────────────────────────────────────────────────────────────

const DAY_MS = 24 * 60 * 60 * 1000;

/** Statuses in which the lead agency is carrying the resolution out. */
const isUnderWay = (status: ResolutionStatus): boolean => status === 'COMMUNICATED' || status === 'IN_PROGRESS';

export const decide = (command: ResolutionCommand, state: Resolution): ResolutionEvent[] => {
  if (command.type === 'RecordResolution') {
    if (state.status !== 'ABSENT') throw alreadyExists('resolution', 'resolutionId', command.data.resolutionId);
    const { meetingHeld, obstacleExists, meetingHeldAt, ...data } = command.data;
    if (!meetingHeld) {
      throw new DomainError(
        'INVALID_TRANSITION',
        `cannot record a resolution: meeting ${data.meetingId} has not been held`,
        { meetingId: data.meetingId, command: 'record a resolution' },
      );
    }
    if (data.obstacleId !== null && !obstacleExists) throw notFound('obstacle', data.obstacleId);
    if (meetingHeldAt != null && !(instant(data.recordedAt) >= instant(meetingHeldAt))) {
      throw badUserInput('occurredAt', `a resolution cannot be recorded before its meeting was held (${meetingHeldAt})`, `must not be before ${meetingHeldAt}`);
    }
    // Negated so that a time that does not parse (NaN) is rejected too.
    if (!(instant(data.deadline) >= instant(data.recordedAt))) {
      throw badUserInput('deadline', 'the deadline is before the resolution', 'deadline must not be before the meeting recorded it');
    }
    return [{ type: 'ResolutionRecorded', data }];
  }
  if (state.status === 'ABSENT') throw notFound('resolution', command.data.resolutionId);

  switch (command.type) {
    case 'CommunicateResolution': {
      if (state.status !== 'RECORDED') throw invalidTransition('resolution', state.status, 'communicate');
      const { resolutionId, communicatedAt, objectionWindowDays } = command.data;
      if (!(Number.isInteger(objectionWindowDays) && objectionWindowDays >= 0)) {
        throw badUserInput('objectionWindowDays', 'the objection window is a whole number of days, 0 or more');
      }
      if (!(instant(communicatedAt) >= instant(state.recordedAt))) {
        throw badUserInput('communicatedAt', 'a resolution cannot be communicated before it was recorded');
      }
      const objectionDeadline = new Date(instant(communicatedAt) + objectionWindowDays * DAY_MS).toISOString();
      return [{ type: 'ResolutionCommunicated', data: { resolutionId, communicatedAt, objectionWindowDays, objectionDeadline } }];
    }

    case 'ObjectToResolution':
      return [objectionTo(state, command.data)];

    case 'DecideObjection': {
      if (state.status !== 'OBJECTED') throw invalidTransition('resolution', state.status, 'decide an objection');
      const { resolutionId, accepted, note, decidedAt } = command.data;
      return [{ type: accepted ? 'ResolutionWithdrawn' : 'ResolutionObjectionRejected', data: { resolutionId, note, decidedAt } }];
    }

    case 'ReportResolutionProgress':
      if (!isUnderWay(state.status)) throw invalidTransition('resolution', state.status, 'report progress');
      return [{ type: 'ResolutionProgressReported', data: { ...command.data } }];

    case 'RecordResolutionOutcome':
      if (!isUnderWay(state.status)) throw invalidTransition('resolution', state.status, 'record an outcome');
      return [{ type: 'ResolutionOutcomeRecorded', data: { ...command.data } }];

    default:
      return unreachable(command);
  }
};

/** The lead agency's one objection, within the window, before any progress is reported. */
const objectionTo = (state: ExistingResolution, data: ObjectToResolution['data']): ResolutionObjected => {
  const command = 'object';
  if (state.status !== 'COMMUNICATED') throw invalidTransition('resolution', state.status, command);
  if (state.objection !== null) {
    throw new DomainError(
      'INVALID_TRANSITION',
      `cannot object: ${state.objection.agency} already objected on ${state.objection.objectedAt} and the objection was rejected`,
      { status: state.status, command },
    );
  }
  if (data.agency !== state.leadAgency) {
    throw new DomainError(
      'FORBIDDEN',
      `only the lead agency ${state.leadAgency} may object to resolution ${state.resolutionId}, not ${data.agency}`,
      { leadAgency: state.leadAgency, agency: data.agency },
    );
  }
  const objectedAt = instant(data.objectedAt);
  if (Number.isNaN(objectedAt)) throw badUserInput('objectedAt', 'the objection time is not an ISO-8601 time');
  // COMMUNICATED always has a deadline: the event that led here set it.
  const deadline = state.objectionDeadline as string;
  if (objectedAt > instant(deadline)) {
    throw new DomainError('INVALID_TRANSITION', `cannot object: the objection window closed at ${deadline}`, {
      status: state.status,
      command,
      objectionDeadline: deadline,
    });
  }
  return { type: 'ResolutionObjected', data: { ...data } };
};

// ─── Derived from the clock ────────────────────────────────────────────────

const SETTLED: readonly ResolutionStatus[] = [...RESOLUTION_OUTCOMES, 'WITHDRAWN'];

/** Implemented, not implemented, without action or withdrawn: nobody owes anything any more. */
export const isSettled = (state: Resolution): boolean => state.status !== 'ABSENT' && SETTLED.includes(state.status);

/** Past its deadline at `now` and not settled. A settled resolution is never overdue, however late it settled. */
export const isOverdue = (state: Resolution, now: string): boolean =>
  state.status !== 'ABSENT' && !isSettled(state) && instant(now) > instant(state.deadline);

/** Recorded as implemented no later than its deadline: the share workgroups report. */
export const implementedOnTime = (state: Resolution): boolean =>
  state.status === 'IMPLEMENTED' && state.settledAt !== null && instant(state.settledAt) <= instant(state.deadline);

export const resolutionDecider: Decider<ResolutionCommand, ResolutionEvent, Resolution> = {
  category: 'resolution',
  initialState,
  evolve,
  decide,
};

/**
 * Commitment (قول / تعهد): a promise an official or agency made in a meeting or
 * on a visit ("the deputy promised to build the shoe city"), with a due date,
 * later kept or broken. "Were the promises kept?" is what the press and
 * auditors ask, so an extension keeps the date first promised.
 */
import {
  alreadyExists,
  badUserInput,
  instant,
  invalidTransition,
  notFound,
  requireAllExist,
  unreachable,
  type Decider,
  type DomainEvent,
} from './decider';

export const COMMITMENT_STATUSES = ['OPEN', 'KEPT', 'BROKEN'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

export const COMMITMENT_SOURCE_KINDS = ['MEETING', 'VISIT'] as const;
/** The meeting or field visit where the promise was made. */
export interface CommitmentSource {
  kind: (typeof COMMITMENT_SOURCE_KINDS)[number];
  id: string;
}

// ─── Events ────────────────────────────────────────────────────────────────

export type CommitmentMade = DomainEvent<
  'CommitmentMade',
  {
    commitmentId: string;
    /** The person who promised, e.g. «حشمت الله عسگری، معاون اقتصادی استاندار تهران». */
    madeBy: string;
    /** The agency bound by the promise, when one is. */
    agency: string | null;
    /** To whom, in words: «تولیدکنندگان کفش اسلامشهر». */
    madeTo: string;
    description: string;
    dueDate: string;
    source: CommitmentSource;
    province: string;
    county: string;
    zoneId: string | null;
    unitIds: string[];
    madeAt: string;
  }
>;
export type CommitmentKept = DomainEvent<'CommitmentKept', { commitmentId: string; evidence: string; recordedAt: string }>;
export type CommitmentBroken = DomainEvent<'CommitmentBroken', { commitmentId: string; evidence: string; recordedAt: string }>;
export type CommitmentExtended = DomainEvent<
  'CommitmentExtended',
  { commitmentId: string; from: string; to: string; reason: string; extendedAt: string }
>;

export type CommitmentEvent = CommitmentMade | CommitmentKept | CommitmentBroken | CommitmentExtended;

// ─── Commands ──────────────────────────────────────────────────────────────

/**
 * Facts: `sourceExists`, whether the meeting or visit exists; `existingUnitIds`,
 * those of `unitIds` that are registered units; `zoneExists`, read only when
 * `zoneId` is set.
 */
export type MakeCommitment = {
  type: 'MakeCommitment';
  data: CommitmentMade['data'] & { sourceExists: boolean; existingUnitIds: string[]; zoneExists: boolean };
};
export type RecordCommitmentKept = { type: 'RecordCommitmentKept'; data: CommitmentKept['data'] };
export type RecordCommitmentBroken = { type: 'RecordCommitmentBroken'; data: CommitmentBroken['data'] };
export type ExtendCommitment = {
  type: 'ExtendCommitment';
  data: { commitmentId: string; newDueDate: string; reason: string; extendedAt: string };
};

export type CommitmentCommand = MakeCommitment | RecordCommitmentKept | RecordCommitmentBroken | ExtendCommitment;

// ─── State ─────────────────────────────────────────────────────────────────

export type Commitment =
  | { status: 'ABSENT' }
  | {
      status: CommitmentStatus;
      commitmentId: string;
      madeBy: string;
      agency: string | null;
      madeTo: string;
      source: CommitmentSource;
      province: string;
      county: string;
      zoneId: string | null;
      unitIds: string[];
      madeAt: string;
      /** The date now owed, after any extensions. */
      dueDate: string;
      /** The date first promised. */
      originalDueDate: string;
      timesExtended: number;
      /** When it was recorded as kept or broken. */
      settledAt: string | null;
    };

export const initialState = (): Commitment => ({ status: 'ABSENT' });

// ─── evolve ────────────────────────────────────────────────────────────────

export const evolve = (state: Commitment, event: CommitmentEvent): Commitment => {
  if (event.type === 'CommitmentMade') {
    const { description: _description, ...made } = event.data;
    return { status: 'OPEN', ...made, originalDueDate: made.dueDate, timesExtended: 0, settledAt: null };
  }
  if (state.status === 'ABSENT') return state;
  switch (event.type) {
    case 'CommitmentKept':
      return { ...state, status: 'KEPT', settledAt: event.data.recordedAt };
    case 'CommitmentBroken':
      return { ...state, status: 'BROKEN', settledAt: event.data.recordedAt };
    case 'CommitmentExtended':
      return { ...state, dueDate: event.data.to, timesExtended: state.timesExtended + 1 };
    default:
      return unreachable(event);
  }
};

// ─── decide ────────────────────────────────────────────────────────────────

export const decide = (command: CommitmentCommand, state: Commitment): CommitmentEvent[] => {
  if (command.type === 'MakeCommitment') {
    if (state.status !== 'ABSENT') throw alreadyExists('commitment', 'commitmentId', command.data.commitmentId);
    const { sourceExists, existingUnitIds, zoneExists, ...data } = command.data;
    if (!sourceExists) throw notFound(data.source.kind.toLowerCase(), data.source.id);
    requireAllExist('unit', data.unitIds, existingUnitIds);
    if (data.zoneId !== null && !zoneExists) throw notFound('zone', data.zoneId);
    // Negated so that a time that does not parse (NaN) is rejected too.
    if (!(instant(data.dueDate) >= instant(data.madeAt))) {
      throw badUserInput('dueDate', 'the due date is before the promise was made');
    }
    return [{ type: 'CommitmentMade', data }];
  }
  if (state.status === 'ABSENT') throw notFound('commitment', command.data.commitmentId);

  switch (command.type) {
    case 'RecordCommitmentKept':
      if (state.status !== 'OPEN') throw invalidTransition('commitment', state.status, 'record it as kept');
      return [{ type: 'CommitmentKept', data: { ...command.data } }];
    case 'RecordCommitmentBroken':
      if (state.status !== 'OPEN') throw invalidTransition('commitment', state.status, 'record it as broken');
      return [{ type: 'CommitmentBroken', data: { ...command.data } }];
    case 'ExtendCommitment': {
      if (state.status !== 'OPEN') throw invalidTransition('commitment', state.status, 'extend');
      const { commitmentId, newDueDate, reason, extendedAt } = command.data;
      if (!(instant(newDueDate) > instant(state.dueDate))) {
        throw badUserInput('newDueDate', 'a commitment can only be extended to a later date', `must be after the due date ${state.dueDate}`);
      }
      return [{ type: 'CommitmentExtended', data: { commitmentId, from: state.dueDate, to: newDueDate, reason, extendedAt } }];
    }
    default:
      return unreachable(command);
  }
};

// ─── Derived from the clock ────────────────────────────────────────────────

/** Still open after its (possibly extended) due date. */
export const isOverdue = (state: Commitment, now: string): boolean =>
  state.status === 'OPEN' && instant(now) > instant(state.dueDate);

/** Kept no later than the date first promised: an extension does not make a late promise a punctual one. */
export const keptAsPromised = (state: Commitment): boolean =>
  state.status === 'KEPT' && state.settledAt !== null && instant(state.settledAt) <= instant(state.originalDueDate);

export const commitmentDecider: Decider<CommitmentCommand, CommitmentEvent, Commitment> = {
  category: 'commitment',
  initialState,
  evolve,
  decide,
};

/**
 * Body (کارگروه / ستاد): the national headquarters, a provincial workgroup or a
 * county workgroup. It numbers its own sessions: the number is reserved here,
 * in the body's stream, so two meetings scheduled at once never share one.
 */
import {
  DomainError,
  alreadyExists,
  notFound,
  unreachable,
  type Decider,
  type DomainEvent,
} from './decider';

export const WORKGROUP_LEVELS = ['COUNTY', 'PROVINCE', 'NATIONAL'] as const;
export type WorkgroupLevel = (typeof WORKGROUP_LEVELS)[number];

// ─── Events ────────────────────────────────────────────────────────────────

export type WorkgroupRegistered = DomainEvent<
  'WorkgroupRegistered',
  {
    workgroupId: string;
    level: WorkgroupLevel;
    /** Both set for a county body, only the province for a provincial one, neither for the national HQ. */
    province: string | null;
    county: string | null;
    name: string;
    registeredAt: string;
  }
>;
export type MeetingNumberReserved = DomainEvent<
  'MeetingNumberReserved',
  { workgroupId: string; meetingId: string; number: number; reservedAt: string }
>;

export type WorkgroupEvent = WorkgroupRegistered | MeetingNumberReserved;

// ─── Commands ──────────────────────────────────────────────────────────────

export type RegisterWorkgroup = { type: 'RegisterWorkgroup'; data: WorkgroupRegistered['data'] };
export type ReserveMeetingNumber = {
  type: 'ReserveMeetingNumber';
  data: { workgroupId: string; meetingId: string; reservedAt: string };
};

export type WorkgroupCommand = RegisterWorkgroup | ReserveMeetingNumber;

// ─── State ─────────────────────────────────────────────────────────────────

export type Workgroup =
  | { status: 'ABSENT' }
  | {
      status: 'REGISTERED';
      workgroupId: string;
      level: WorkgroupLevel;
      province: string | null;
      county: string | null;
      name: string;
      registeredAt: string;
      /** Session number by meeting id; numbers run 1, 2, 3… without gaps. */
      meetingNumbers: Record<string, number>;
    };

export const initialState = (): Workgroup => ({ status: 'ABSENT' });

// ─── evolve ────────────────────────────────────────────────────────────────

export const evolve = (state: Workgroup, event: WorkgroupEvent): Workgroup => {
  if (event.type === 'WorkgroupRegistered') return { status: 'REGISTERED', ...event.data, meetingNumbers: {} };
  if (state.status === 'ABSENT') return state;
  switch (event.type) {
    case 'MeetingNumberReserved':
      return { ...state, meetingNumbers: { ...state.meetingNumbers, [event.data.meetingId]: event.data.number } };
    default:
      return unreachable(event);
  }
};

// ─── decide ────────────────────────────────────────────────────────────────

/** Which of province and county a body of each level must name. */
const JURISDICTION: Record<WorkgroupLevel, { province: boolean; county: boolean }> = {
  COUNTY: { province: true, county: true },
  PROVINCE: { province: true, county: false },
  NATIONAL: { province: false, county: false },
};

type FieldError = { field: string; messages: string[] };

const jurisdictionErrors = (data: WorkgroupRegistered['data']): FieldError[] => {
  const rule = JURISDICTION[data.level];
  const errors: FieldError[] = [];
  for (const field of ['province', 'county'] as const) {
    const given = data[field] !== null;
    if (given && !rule[field]) errors.push({ field, messages: [`a ${data.level} body has no ${field}`] });
    if (!given && rule[field]) errors.push({ field, messages: [`a ${data.level} body needs a ${field}`] });
  }
  return errors;
};

export const decide = (command: WorkgroupCommand, state: Workgroup): WorkgroupEvent[] => {
  if (command.type === 'RegisterWorkgroup') {
    if (state.status !== 'ABSENT') throw alreadyExists('workgroup', 'workgroupId', command.data.workgroupId);
    const fields = jurisdictionErrors(command.data);
    if (fields.length > 0) {
      throw new DomainError('BAD_USER_INPUT', `the province and county do not fit a ${command.data.level} body`, { fields });
    }
    return [{ type: 'WorkgroupRegistered', data: { ...command.data } }];
  }
  if (state.status === 'ABSENT') throw notFound('workgroup', command.data.workgroupId);

  switch (command.type) {
    case 'ReserveMeetingNumber': {
      const { workgroupId, meetingId, reservedAt } = command.data;
      // A retried scheduling keeps the number it was given the first time.
      if (Object.hasOwn(state.meetingNumbers, meetingId)) return [];
      const number = Object.keys(state.meetingNumbers).length + 1;
      return [{ type: 'MeetingNumberReserved', data: { workgroupId, meetingId, number, reservedAt } }];
    }
    default:
      return unreachable(command);
  }
};

/** The session number reserved for a meeting, or null when none was. */
export const meetingNumberOf = (state: Workgroup, meetingId: string): number | null =>
  state.status !== 'ABSENT' && Object.hasOwn(state.meetingNumbers, meetingId) ? state.meetingNumbers[meetingId] : null;

export const workgroupDecider: Decider<WorkgroupCommand, WorkgroupEvent, Workgroup> = {
  category: 'workgroup',
  initialState,
  evolve,
  decide,
};

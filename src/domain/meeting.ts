/**
 * Meeting (جلسه) of a workgroup: scheduled, then held, postponed or cancelled.
 * Units and obstacles go on its agenda; once held, it records attendees and
 * minutes (صورتجلسه). Its resolutions (مصوبات) are aggregates of their own
 * (`resolution.ts`), recorded against a held meeting: see `canRecordResolutions`.
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

export const MEETING_STATUSES = ['SCHEDULED', 'POSTPONED', 'HELD', 'CANCELLED'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const AGENDA_ITEM_KINDS = ['UNIT', 'OBSTACLE'] as const;
export type AgendaItemKind = (typeof AGENDA_ITEM_KINDS)[number];

export interface Attendee {
  name: string;
  agency: string;
  role: string | null;
}

// ─── Events ────────────────────────────────────────────────────────────────

export type MeetingScheduled = DomainEvent<
  'MeetingScheduled',
  {
    meetingId: string;
    /** The body that meets; null for an ad-hoc session of no registered body. */
    workgroupId: string | null;
    /** The body's session number, reserved in its stream (`MeetingNumberReserved`); null without a body. */
    sequenceNumber: number | null;
    province: string;
    county: string;
    title: string;
    scheduledAt: string;
    venue: string;
    chair: string;
  }
>;
export type AgendaItemAdded = DomainEvent<
  'AgendaItemAdded',
  {
    meetingId: string;
    kind: AgendaItemKind;
    subjectId: string;
    /** The unit concerned: the subject itself, or the unit an obstacle was raised for; null for a zone's case. */
    unitId: string | null;
    /** The zone of a zone's case (telecom, paving…); absent or null otherwise. */
    zoneId?: string | null;
    note: string | null;
  }
>;
export type MeetingHeld = DomainEvent<
  'MeetingHeld',
  { meetingId: string; heldAt: string; attendees: Attendee[]; minutes: string }
>;
export type MeetingPostponed = DomainEvent<
  'MeetingPostponed',
  { meetingId: string; from: string; to: string; reason: string; postponedAt: string }
>;
export type MeetingCancelled = DomainEvent<'MeetingCancelled', { meetingId: string; reason: string; cancelledAt: string }>;

export type MeetingEvent =
  | MeetingScheduled
  | AgendaItemAdded
  | MeetingHeld
  | MeetingPostponed
  | MeetingCancelled;

// ─── Commands ──────────────────────────────────────────────────────────────

export type ScheduleMeeting = { type: 'ScheduleMeeting'; data: MeetingScheduled['data'] };
/** Fact: `subjectExists`, whether the unit or obstacle exists (the decider reports NOT_FOUND otherwise). */
export type AddAgendaItem = {
  type: 'AddAgendaItem';
  data: AgendaItemAdded['data'] & { subjectExists: boolean };
};
export type RecordMeetingHeld = { type: 'RecordMeetingHeld'; data: MeetingHeld['data'] };
export type PostponeMeeting = {
  type: 'PostponeMeeting';
  data: { meetingId: string; to: string; reason: string; postponedAt: string };
};
export type CancelMeeting = { type: 'CancelMeeting'; data: MeetingCancelled['data'] };

export type MeetingCommand =
  | ScheduleMeeting
  | AddAgendaItem
  | RecordMeetingHeld
  | PostponeMeeting
  | CancelMeeting;

// ─── State ─────────────────────────────────────────────────────────────────

export type Meeting =
  | { status: 'ABSENT' }
  | {
      status: MeetingStatus;
      meetingId: string;
      workgroupId: string | null;
      sequenceNumber: number | null;
      province: string;
      county: string;
      scheduledAt: string;
      agenda: { kind: AgendaItemKind; subjectId: string }[];
    };

export const initialState = (): Meeting => ({ status: 'ABSENT' });

// ─── evolve ────────────────────────────────────────────────────────────────

export const evolve = (state: Meeting, event: MeetingEvent): Meeting => {
  if (event.type === 'MeetingScheduled') {
    const { meetingId, workgroupId, sequenceNumber, province, county, scheduledAt } = event.data;
    return { status: 'SCHEDULED', meetingId, workgroupId, sequenceNumber, province, county, scheduledAt, agenda: [] };
  }
  if (state.status === 'ABSENT') return state;
  switch (event.type) {
    case 'AgendaItemAdded':
      return { ...state, agenda: [...state.agenda, { kind: event.data.kind, subjectId: event.data.subjectId }] };
    case 'MeetingHeld':
      return { ...state, status: 'HELD' };
    case 'MeetingPostponed':
      return { ...state, status: 'POSTPONED', scheduledAt: event.data.to };
    case 'MeetingCancelled':
      return { ...state, status: 'CANCELLED' };
    default:
      return unreachable(event);
  }
};

// ─── decide ────────────────────────────────────────────────────────────────

const isUpcoming = (status: MeetingStatus): boolean => status === 'SCHEDULED' || status === 'POSTPONED';

/**
 * Resolutions are decisions of a session that took place: the command layer
 * passes this as `meetingHeld` when recording one (`resolution.ts`).
 */
export const canRecordResolutions = (state: Meeting): boolean => state.status === 'HELD';

export const decide = (command: MeetingCommand, state: Meeting): MeetingEvent[] => {
  if (command.type === 'ScheduleMeeting') {
    if (state.status !== 'ABSENT') throw alreadyExists('meeting', 'meetingId', command.data.meetingId);
    const { workgroupId, sequenceNumber } = command.data;
    // A number belongs to a body's sequence: without the body it means nothing.
    if (sequenceNumber !== null && workgroupId === null) {
      throw badUserInput('sequenceNumber', 'a session number needs the workgroup whose sequence it belongs to');
    }
    if (sequenceNumber !== null && !(Number.isInteger(sequenceNumber) && sequenceNumber >= 1)) {
      throw badUserInput('sequenceNumber', 'a session number is a whole number from 1');
    }
    return [{ type: 'MeetingScheduled', data: { ...command.data } }];
  }
  if (state.status === 'ABSENT') throw notFound('meeting', command.data.meetingId);

  switch (command.type) {
    case 'AddAgendaItem': {
      // A held meeting's agenda is part of its minutes; adding to it afterwards would rewrite them.
      if (!isUpcoming(state.status)) throw invalidTransition('meeting', state.status, 'add an agenda item');
      const { subjectExists, ...item } = command.data;
      if (!subjectExists) throw notFound(item.kind === 'UNIT' ? 'unit' : 'obstacle', item.subjectId);
      if (state.agenda.some((a) => a.kind === item.kind && a.subjectId === item.subjectId)) {
        throw new DomainError('CONFLICT', `${item.kind.toLowerCase()} ${item.subjectId} is already on the agenda`, {
          subjectId: item.subjectId,
        });
      }
      return [{ type: 'AgendaItemAdded', data: item }];
    }
    case 'RecordMeetingHeld':
      if (!isUpcoming(state.status)) throw invalidTransition('meeting', state.status, 'record it as held');
      return [{ type: 'MeetingHeld', data: { ...command.data } }];
    case 'PostponeMeeting':
      if (!isUpcoming(state.status)) throw invalidTransition('meeting', state.status, 'postpone');
      // Negated so that a time that does not parse (NaN) is rejected too.
      if (!(instant(command.data.to) > instant(state.scheduledAt))) {
        throw badUserInput('to', 'a meeting can only be postponed to a later time', `must be after the scheduled time ${state.scheduledAt}`);
      }
      return [
        {
          type: 'MeetingPostponed',
          data: { meetingId: command.data.meetingId, from: state.scheduledAt, to: command.data.to, reason: command.data.reason, postponedAt: command.data.postponedAt },
        },
      ];
    case 'CancelMeeting':
      if (!isUpcoming(state.status)) throw invalidTransition('meeting', state.status, 'cancel');
      return [{ type: 'MeetingCancelled', data: { ...command.data } }];
    default:
      return unreachable(command);
  }
};

export const meetingDecider: Decider<MeetingCommand, MeetingEvent, Meeting> = {
  category: 'meeting',
  initialState,
  evolve,
  decide,
};

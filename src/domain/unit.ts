/**
 * Production unit (واحد تولیدی): a company the workgroup follows, and its
 * activity status. Reviving semi-active and idle units is the workgroups'
 * headline goal, so every status change carries its reason.
 */
import { DomainError, invalidTransition, notFound, unreachable, type Decider, type DomainEvent } from './decider';

// ─── Events ────────────────────────────────────────────────────────────────

export const ACTIVITY_STATUSES = ['ACTIVE', 'SEMI_ACTIVE', 'INACTIVE'] as const;
/** فعال / نیمه‌فعال (under ~50 % capacity) / غیرفعال-راکد */
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export type UnitRegistered = DomainEvent<
  'UnitRegistered',
  {
    unitId: string;
    name: string;
    nationalId: string;
    sector: string;
    province: string;
    county: string;
    location: string | null;
    headCount: number | null;
    activityStatus: ActivityStatus;
    registeredAt: string;
  }
>;

export type UnitActivityStatusChanged = DomainEvent<
  'UnitActivityStatusChanged',
  { unitId: string; from: ActivityStatus; to: ActivityStatus; reason: string; changedAt: string }
>;

export type UnitEvent = UnitRegistered | UnitActivityStatusChanged;

// ─── Commands ──────────────────────────────────────────────────────────────

export type RegisterUnit = {
  type: 'RegisterUnit';
  data: Omit<UnitRegistered['data'], never>;
};

export type ChangeUnitActivityStatus = {
  type: 'ChangeUnitActivityStatus';
  data: { unitId: string; status: ActivityStatus; reason: string; changedAt: string };
};

export type UnitCommand = RegisterUnit | ChangeUnitActivityStatus;

// ─── State ─────────────────────────────────────────────────────────────────

export type Unit =
  | { status: 'absent' }
  | {
      status: 'registered';
      unitId: string;
      name: string;
      nationalId: string;
      sector: string;
      province: string;
      county: string;
      location: string | null;
      headCount: number | null;
      activityStatus: ActivityStatus;
      statusReason: string | null;
      registeredAt: string;
      statusChangedAt: string;
    };

export const initialState = (): Unit => ({ status: 'absent' });

// ─── evolve ────────────────────────────────────────────────────────────────

export const evolve = (state: Unit, event: UnitEvent): Unit => {
  switch (event.type) {
    case 'UnitRegistered':
      return {
        status: 'registered',
        ...event.data,
        statusReason: null,
        statusChangedAt: event.data.registeredAt,
      };
    case 'UnitActivityStatusChanged':
      if (state.status !== 'registered') return state;
      return {
        ...state,
        activityStatus: event.data.to,
        statusReason: event.data.reason,
        statusChangedAt: event.data.changedAt,
      };
    default:
      return unreachable(event);
  }
};

// ─── decide ────────────────────────────────────────────────────────────────

export const decide = (command: UnitCommand, state: Unit): UnitEvent[] => {
  switch (command.type) {
    case 'RegisterUnit':
      if (state.status !== 'absent') {
        throw new DomainError('CONFLICT', `unit ${command.data.unitId} is already registered`, {
          unitId: command.data.unitId,
        });
      }
      return [{ type: 'UnitRegistered', data: { ...command.data } }];

    case 'ChangeUnitActivityStatus': {
      if (state.status === 'absent') throw notFound('unit', command.data.unitId);
      if (state.activityStatus === command.data.status) {
        throw invalidTransition('unit', state.activityStatus, `change activity status to ${command.data.status}`);
      }
      return [
        {
          type: 'UnitActivityStatusChanged',
          data: {
            unitId: command.data.unitId,
            from: state.activityStatus,
            to: command.data.status,
            reason: command.data.reason,
            changedAt: command.data.changedAt,
          },
        },
      ];
    }
    default:
      return unreachable(command);
  }
};

export const unitDecider: Decider<UnitCommand, UnitEvent, Unit> = {
  category: 'unit',
  initialState,
  evolve,
  decide,
};

// ─── National-ID reservation ───────────────────────────────────────────────
// A national ID (شناسه ملی) belongs to at most one unit. The rule is enforced
// by the store, not by a read model: registering appends `NationalIdReserved`
// to `unit_national_id-<id>` with `no_stream`, so two concurrent registrations
// cannot both win. A reservation whose unit stream was never written (the
// process died between the two appends and the client never retried) may be
// taken over by the next registration.

export type NationalIdReserved = DomainEvent<'NationalIdReserved', { nationalId: string; unitId: string }>;

export type NationalIdReservation = { status: 'free' } | { status: 'reserved'; unitId: string };

export const nationalIdReservationDecider: Decider<
  { type: 'ReserveNationalId'; data: { nationalId: string; unitId: string; reservedUnitExists: boolean } },
  NationalIdReserved,
  NationalIdReservation
> = {
  category: 'unit_national_id',
  initialState: () => ({ status: 'free' }),
  evolve: (_state, event) => ({ status: 'reserved', unitId: event.data.unitId }),
  decide: (command, state) => {
    if (state.status === 'reserved' && state.unitId === command.data.unitId) return [];
    if (state.status === 'reserved' && command.data.reservedUnitExists) {
      throw new DomainError(
        'CONFLICT',
        `national ID ${command.data.nationalId} already belongs to unit ${state.unitId}`,
        { nationalId: command.data.nationalId, unitId: state.unitId },
      );
    }
    return [{ type: 'NationalIdReserved', data: { nationalId: command.data.nationalId, unitId: command.data.unitId } }];
  },
};

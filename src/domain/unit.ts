/**
 * Production unit (واحد تولیدی): a company the workgroup follows, and its
 * activity status. Reviving semi-active and idle units is the workgroups'
 * headline goal, so every status change carries its reason.
 */
import {
  DomainError,
  badUserInput,
  invalidTransition,
  notFound,
  unreachable,
  type Decider,
  type DomainEvent,
} from './decider';

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
    /** The industrial park, specialised park or cluster it stands in; null outside any registered zone. */
    zoneId: string | null;
    /** ISIC activity code (کد آیسیک), as the unit's permit states it. */
    isicCode: string | null;
    headCount: number | null;
    /** Percent of capacity in use, 0–100: under ~50 is what makes a unit semi-active. */
    capacityUtilisation: number | null;
    activityStatus: ActivityStatus;
    registeredAt: string;
  }
>;

export type UnitActivityStatusChanged = DomainEvent<
  'UnitActivityStatusChanged',
  { unitId: string; from: ActivityStatus; to: ActivityStatus; reason: string; changedAt: string }
>;

export type UnitLinkedToZone = DomainEvent<
  'UnitLinkedToZone',
  { unitId: string; zoneId: string; previousZoneId: string | null; linkedAt: string }
>;

/** The profile fields a unit's record may be corrected or brought up to date in. */
export interface UnitProfile {
  headCount: number | null;
  capacityUtilisation: number | null;
  isicCode: string | null;
  sector: string;
}
const PROFILE_FIELDS = ['headCount', 'capacityUtilisation', 'isicCode', 'sector'] as const satisfies readonly (keyof UnitProfile)[];

/** Carries only the fields that changed. */
export type UnitProfileUpdated = DomainEvent<'UnitProfileUpdated', { unitId: string; updatedAt: string } & Partial<UnitProfile>>;

export type UnitEvent = UnitRegistered | UnitActivityStatusChanged | UnitLinkedToZone | UnitProfileUpdated;

// ─── Commands ──────────────────────────────────────────────────────────────

/** Fact: `zoneExists`, read only when `zoneId` is set. */
export type RegisterUnit = {
  type: 'RegisterUnit';
  data: UnitRegistered['data'] & { zoneExists: boolean };
};

export type ChangeUnitActivityStatus = {
  type: 'ChangeUnitActivityStatus';
  data: { unitId: string; status: ActivityStatus; reason: string; changedAt: string };
};

/** Fact: `zoneExists`. */
export type LinkUnitToZone = {
  type: 'LinkUnitToZone';
  data: { unitId: string; zoneId: string; zoneExists: boolean; linkedAt: string };
};

/** A field left out (undefined) is left as it is; `null` clears it. */
export type UpdateUnitProfile = {
  type: 'UpdateUnitProfile';
  data: { unitId: string; updatedAt: string } & Partial<UnitProfile>;
};

export type UnitCommand = RegisterUnit | ChangeUnitActivityStatus | LinkUnitToZone | UpdateUnitProfile;

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
      zoneId: string | null;
      isicCode: string | null;
      headCount: number | null;
      capacityUtilisation: number | null;
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
    case 'UnitLinkedToZone':
      if (state.status !== 'registered') return state;
      return { ...state, zoneId: event.data.zoneId };
    case 'UnitProfileUpdated': {
      if (state.status !== 'registered') return state;
      const { unitId: _unitId, updatedAt: _updatedAt, ...changed } = event.data;
      return { ...state, ...changed };
    }
    default:
      return unreachable(event);
  }
};

// ─── decide ────────────────────────────────────────────────────────────────

export const decide = (command: UnitCommand, state: Unit): UnitEvent[] => {
  switch (command.type) {
    case 'RegisterUnit': {
      if (state.status !== 'absent') {
        throw new DomainError('CONFLICT', `unit ${command.data.unitId} is already registered`, {
          unitId: command.data.unitId,
        });
      }
      const { zoneExists, ...data } = command.data;
      if (data.zoneId !== null && !zoneExists) throw notFound('zone', data.zoneId);
      checkCapacityUtilisation(data.capacityUtilisation);
      return [{ type: 'UnitRegistered', data }];
    }

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
    case 'LinkUnitToZone': {
      if (state.status === 'absent') throw notFound('unit', command.data.unitId);
      const { unitId, zoneId, zoneExists, linkedAt } = command.data;
      if (!zoneExists) throw notFound('zone', zoneId);
      if (state.zoneId === zoneId) return [];
      return [{ type: 'UnitLinkedToZone', data: { unitId, zoneId, previousZoneId: state.zoneId, linkedAt } }];
    }

    case 'UpdateUnitProfile': {
      if (state.status === 'absent') throw notFound('unit', command.data.unitId);
      const { unitId, updatedAt } = command.data;
      if (command.data.capacityUtilisation !== undefined) checkCapacityUtilisation(command.data.capacityUtilisation);
      const changed: Partial<UnitProfile> = {};
      for (const field of PROFILE_FIELDS) {
        const value = command.data[field];
        if (value !== undefined && value !== state[field]) Object.assign(changed, { [field]: value });
      }
      if (Object.keys(changed).length === 0) return [];
      return [{ type: 'UnitProfileUpdated', data: { unitId, ...changed, updatedAt } }];
    }

    default:
      return unreachable(command);
  }
};

const checkCapacityUtilisation = (value: number | null): void => {
  // Negated so that NaN is rejected too.
  if (value !== null && !(value >= 0 && value <= 100)) {
    throw badUserInput('capacityUtilisation', 'capacity utilisation is a percentage from 0 to 100');
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

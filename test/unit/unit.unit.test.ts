import {
  ACTIVITY_STATUSES,
  nationalIdReservationDecider,
  unitDecider,
  type ActivityStatus,
  type ChangeUnitActivityStatus,
  type NationalIdReserved,
  type RegisterUnit,
  type Unit,
  type UnitActivityStatusChanged,
  type UnitCommand,
  type UnitRegistered,
} from '../../src/domain/unit';
import { DeciderSpecification, expectDecideIsPure } from './decider-specification';

const given = DeciderSpecification.for(unitDecider);

describe('unit decider', () => {
  describe('when the unit is not registered', () => {
    it('registers it with the activity status it was found in', () => {
      given([]).when(registerKia).then([kiaRegistered]);
    });

    it('registers a unit outside any industrial park, head count unknown', () => {
      given([])
        .when(registerMadakam)
        .then([{ type: 'UnitRegistered', data: { ...registerMadakam.data } }]);
    });

    it('rejects a status change with NOT_FOUND', () => {
      given([]).when(kiaBecomesActive).thenThrows('NOT_FOUND', `unit ${kiaUnitId} does not exist`);
    });

    it('is registered with no status reason, its status dated at registration', () => {
      given([kiaRegistered]).thenState(kiaState);
    });

    it('ignores a status change event without a registration', () => {
      given([kiaBecameActive]).thenState({ status: 'absent' });
    });
  });

  describe('when the unit is registered', () => {
    it('rejects a second registration with CONFLICT', () => {
      given([kiaRegistered]).when(registerKia).thenThrows('CONFLICT', `unit ${kiaUnitId} is already registered`);
    });

    it('rejects a second registration after a status change with CONFLICT', () => {
      given([kiaRegistered, kiaBecameActive]).when(registerKia).thenThrows('CONFLICT');
    });

    it('records a status change, with the status it came from and the reason', () => {
      given([kiaRegistered]).when(kiaBecomesActive).then([kiaBecameActive]);
    });

    it('holds the new status, its reason and when it changed', () => {
      given([kiaRegistered])
        .when(kiaBecomesActive)
        .thenState({
          ...kiaState,
          activityStatus: 'ACTIVE',
          statusReason: kiaBecameActive.data.reason,
          statusChangedAt: kiaBecameActive.data.changedAt,
        });
    });

    describe.each(ACTIVITY_STATUSES)('in status %s', (from) => {
      const registeredAs = (): UnitRegistered => ({ ...kiaRegistered, data: { ...kiaRegistered.data, activityStatus: from } });

      it.each(ACTIVITY_STATUSES.filter((to) => to !== from))('changes to %s', (to) => {
        given([registeredAs()])
          .when(changeKiaStatus(to))
          .then([
            {
              type: 'UnitActivityStatusChanged',
              data: { unitId: kiaUnitId, from, to, reason: statusReason, changedAt: statusChangedAt },
            },
          ]);
      });

      it(`rejects a change to ${from} itself with INVALID_TRANSITION`, () => {
        const error = given([registeredAs()])
          .when(changeKiaStatus(from))
          .thenThrows('INVALID_TRANSITION', `cannot change activity status to ${from}: the unit is ${from}`);
        expect(error.details).toEqual({ status: from, command: `change activity status to ${from}` });
      });
    });

    it('judges a change against the latest status, not the registered one', () => {
      given([kiaRegistered, kiaBecameActive]).when(kiaBecomesActive).thenThrows('INVALID_TRANSITION');
      given([kiaRegistered, kiaBecameActive])
        .when(changeKiaStatus('SEMI_ACTIVE'))
        .then([
          {
            type: 'UnitActivityStatusChanged',
            data: { unitId: kiaUnitId, from: 'ACTIVE', to: 'SEMI_ACTIVE', reason: statusReason, changedAt: statusChangedAt },
          },
        ]);
    });

    it('keeps every other field across status changes', () => {
      given([kiaRegistered, kiaBecameActive, kiaBecameIdle]).thenState({
        ...kiaState,
        activityStatus: 'INACTIVE',
        statusReason: kiaBecameIdle.data.reason,
        statusChangedAt: kiaBecameIdle.data.changedAt,
      });
    });
  });

  describe('decide is pure', () => {
    it('decides every command the same way twice without touching the state', () => {
      const commands: UnitCommand[] = [registerKia, kiaBecomesActive, changeKiaStatus('SEMI_ACTIVE')];
      for (const history of [[], [kiaRegistered], [kiaRegistered, kiaBecameActive]]) {
        for (const command of commands) expectDecideIsPure(unitDecider, history, command);
      }
    });
  });
});

const reserve = DeciderSpecification.for(nationalIdReservationDecider);

describe('national-ID reservation decider', () => {
  describe('when the national ID is free', () => {
    it('reserves it for the registering unit', () => {
      reserve([]).when(reserveForKia).then([reservedForKia]);
    });

    it('is reserved for that unit afterwards', () => {
      reserve([reservedForKia]).thenState({ status: 'reserved', unitId: kiaUnitId });
    });
  });

  describe('when the national ID is reserved by the same unit', () => {
    it('records nothing: a retried registration is idempotent', () => {
      reserve([reservedForKia]).when(reserveForKia).thenNothingHappened();
    });

    it('records nothing even before the unit stream was written', () => {
      reserve([reservedForKia])
        .when({ ...reserveForKia, data: { ...reserveForKia.data, reservedUnitExists: false } })
        .thenNothingHappened();
    });
  });

  describe('when the national ID is reserved by another unit that exists', () => {
    it('rejects the reservation with CONFLICT, naming the holder', () => {
      const error = reserve([reservedForKia])
        .when(reserveForImpostor)
        .thenThrows('CONFLICT', `national ID ${kiaNationalId} already belongs to unit ${kiaUnitId}`);
      expect(error.details).toEqual({ nationalId: kiaNationalId, unitId: kiaUnitId });
    });
  });

  describe('when the national ID is reserved by a unit whose stream was never written', () => {
    it('takes the reservation over', () => {
      reserve([reservedForKia])
        .when(reserveOverOrphan)
        .then([{ type: 'NationalIdReserved', data: { nationalId: kiaNationalId, unitId: impostorUnitId } }]);
    });

    it('then belongs to the new unit', () => {
      reserve([reservedForKia]).when(reserveOverOrphan).thenState({ status: 'reserved', unitId: impostorUnitId });
    });
  });

  describe('decide is pure', () => {
    it('decides the same way twice without touching the state', () => {
      for (const history of [[], [reservedForKia]]) {
        for (const command of [reserveForKia, reserveForImpostor, reserveOverOrphan]) {
          expectDecideIsPure(nationalIdReservationDecider, history, command);
        }
      }
    });
  });
});

// ─── Fixtures: the four companies the Pakdasht workgroup reviewed at the Kharazmi industrial park ───

const kiaUnitId = 'unit-kia-ofogh-paydar';
const kiaNationalId = '10320845716';
const impostorUnitId = 'unit-sorat-khaneh-saz';
/** 1403/08/30, 10:00 Tehran time. */
const registeredAt = '2024-11-20T06:30:00.000Z';
/** 1403/09/14, after the workgroup's Wednesday session. */
const statusChangedAt = '2024-12-04T09:00:00.000Z';
const statusReason = 'تامین سرمایه در گردش پس از امهال اقساط بانک ملی';

const registerKia: RegisterUnit = {
  type: 'RegisterUnit',
  data: {
    unitId: kiaUnitId,
    name: 'کیا افق پایدار',
    nationalId: kiaNationalId,
    sector: 'قطعات خودرو',
    province: 'تهران',
    county: 'پاکدشت',
    location: 'شهرک صنعتی خوارزمی',
    headCount: 85,
    activityStatus: 'SEMI_ACTIVE',
    registeredAt,
  },
};

const registerMadakam: RegisterUnit = {
  type: 'RegisterUnit',
  data: {
    unitId: 'unit-madakam-shargh',
    name: 'ماداکام شرق',
    nationalId: '10861934250',
    sector: 'ماشین‌آلات صنعتی',
    province: 'تهران',
    county: 'پاکدشت',
    location: null,
    headCount: null,
    activityStatus: 'INACTIVE',
    registeredAt,
  },
};

const kiaRegistered: UnitRegistered = { type: 'UnitRegistered', data: { ...registerKia.data } };

const kiaState: Extract<Unit, { status: 'registered' }> = {
  status: 'registered',
  ...registerKia.data,
  statusReason: null,
  statusChangedAt: registeredAt,
};

const changeKiaStatus = (status: ActivityStatus): ChangeUnitActivityStatus => ({
  type: 'ChangeUnitActivityStatus',
  data: { unitId: kiaUnitId, status, reason: statusReason, changedAt: statusChangedAt },
});

const kiaBecomesActive = changeKiaStatus('ACTIVE');

const kiaBecameActive: UnitActivityStatusChanged = {
  type: 'UnitActivityStatusChanged',
  data: { unitId: kiaUnitId, from: 'SEMI_ACTIVE', to: 'ACTIVE', reason: statusReason, changedAt: statusChangedAt },
};

const kiaBecameIdle: UnitActivityStatusChanged = {
  type: 'UnitActivityStatusChanged',
  data: {
    unitId: kiaUnitId,
    from: 'ACTIVE',
    to: 'INACTIVE',
    reason: 'قطع گاز واحد به دلیل بدهی معوق',
    changedAt: '2025-01-15T08:00:00.000Z',
  },
};

type ReserveNationalId = Parameters<typeof nationalIdReservationDecider.decide>[0];

const reserveForKia: ReserveNationalId = {
  type: 'ReserveNationalId',
  data: { nationalId: kiaNationalId, unitId: kiaUnitId, reservedUnitExists: true },
};

/** سرعت خانه ساز registering under کیا افق پایدار's national ID, e.g. a typo at the secretariat. */
const reserveForImpostor: ReserveNationalId = {
  type: 'ReserveNationalId',
  data: { nationalId: kiaNationalId, unitId: impostorUnitId, reservedUnitExists: true },
};

/** Kia's reservation was appended, but its unit stream never was: the registration died in between. */
const reserveOverOrphan: ReserveNationalId = {
  type: 'ReserveNationalId',
  data: { ...reserveForImpostor.data, reservedUnitExists: false },
};

const reservedForKia: NationalIdReserved = {
  type: 'NationalIdReserved',
  data: { nationalId: kiaNationalId, unitId: kiaUnitId },
};

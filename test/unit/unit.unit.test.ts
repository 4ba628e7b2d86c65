import {
  ACTIVITY_STATUSES,
  nationalIdReservationDecider,
  unitDecider,
  type ActivityStatus,
  type ChangeUnitActivityStatus,
  type LinkUnitToZone,
  type NationalIdReserved,
  type RegisterUnit,
  type Unit,
  type UnitActivityStatusChanged,
  type UnitCommand,
  type UnitEvent,
  type UnitLinkedToZone,
  type UnitProfileUpdated,
  type UnitRegistered,
  type UpdateUnitProfile,
} from '../../src/domain/unit';
import { DeciderSpecification, expectDecideIsPure } from './decider-specification';

const given = DeciderSpecification.for(unitDecider);

describe('unit decider', () => {
  describe('when the unit is not registered', () => {
    it('registers it with the activity status it was found in', () => {
      given([]).when(registerKia).then([kiaRegistered]);
    });

    it('registers a unit outside any zone, head count, ISIC code and capacity unknown', () => {
      const { zoneExists: _zoneExists, ...data } = registerMadakam.data;
      given([])
        .when(registerMadakam)
        .then([{ type: 'UnitRegistered', data }]);
    });

    it('rejects a zone that does not exist with NOT_FOUND', () => {
      given([])
        .when({ ...registerKia, data: { ...registerKia.data, zoneExists: false } })
        .thenThrows('NOT_FOUND', `zone ${kharazmiZoneId} does not exist`);
    });

    it.each([0, 100, 49.5])('accepts a capacity utilisation of %s %%', (capacityUtilisation) => {
      given([])
        .when({ ...registerKia, data: { ...registerKia.data, capacityUtilisation } })
        .then([{ type: 'UnitRegistered', data: { ...kiaRegistered.data, capacityUtilisation } }]);
    });

    it.each([-1, 100.5, 250, Number.NaN])('rejects a capacity utilisation of %s with BAD_USER_INPUT', (capacityUtilisation) => {
      const error = given([])
        .when({ ...registerKia, data: { ...registerKia.data, capacityUtilisation } })
        .thenThrows('BAD_USER_INPUT', 'capacity utilisation is a percentage from 0 to 100');
      expect(error.details).toEqual({
        fields: [{ field: 'capacityUtilisation', messages: ['capacity utilisation is a percentage from 0 to 100'] }],
      });
    });

    it('rejects linking it to a zone with NOT_FOUND', () => {
      given([]).when(linkKiaToShoePark).thenThrows('NOT_FOUND', `unit ${kiaUnitId} does not exist`);
    });

    it('rejects a profile update with NOT_FOUND', () => {
      given([]).when(updateKiaProfile).thenThrows('NOT_FOUND', `unit ${kiaUnitId} does not exist`);
    });

    it('rejects a status change with NOT_FOUND', () => {
      given([]).when(kiaBecomesActive).thenThrows('NOT_FOUND', `unit ${kiaUnitId} does not exist`);
    });

    it('is registered with no status reason, its status dated at registration', () => {
      given([kiaRegistered]).thenState(kiaState);
    });

    it('ignores a later event without a registration', () => {
      given([kiaBecameActive, kiaLinkedToShoePark, kiaProfileUpdated]).thenState({ status: 'absent' });
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

  describe('when the unit is registered in a zone', () => {
    it('moves to another zone, recording the one it left', () => {
      given([kiaRegistered]).when(linkKiaToShoePark).then([kiaLinkedToShoePark]);
    });

    it('is in the new zone, everything else kept', () => {
      given([kiaRegistered, kiaLinkedToShoePark]).thenState({ ...kiaState, zoneId: shoeParkZoneId });
    });

    it('records nothing when linked to the zone it is in: a retry', () => {
      given([kiaRegistered, kiaLinkedToShoePark]).when(linkKiaToShoePark).thenNothingHappened();
      given([kiaRegistered])
        .when({ ...linkKiaToShoePark, data: { ...linkKiaToShoePark.data, zoneId: kharazmiZoneId } })
        .thenNothingHappened();
    });

    it('rejects a zone that does not exist with NOT_FOUND', () => {
      given([kiaRegistered])
        .when({ ...linkKiaToShoePark, data: { ...linkKiaToShoePark.data, zoneExists: false } })
        .thenThrows('NOT_FOUND', `zone ${shoeParkZoneId} does not exist`);
    });
  });

  describe('when the unit is registered outside any zone', () => {
    const madakamRegistered = (): UnitRegistered => {
      const { zoneExists: _zoneExists, ...data } = registerMadakam.data;
      return { type: 'UnitRegistered', data };
    };

    it('links it to a zone, from none', () => {
      given([madakamRegistered()])
        .when({ ...linkKiaToShoePark, data: { ...linkKiaToShoePark.data, unitId: madakamUnitId } })
        .then([
          {
            type: 'UnitLinkedToZone',
            data: { unitId: madakamUnitId, zoneId: shoeParkZoneId, previousZoneId: null, linkedAt: linkKiaToShoePark.data.linkedAt },
          },
        ]);
    });

    it('fills in its profile: every given field is a change from unknown', () => {
      const fill: UpdateUnitProfile = {
        type: 'UpdateUnitProfile',
        data: { unitId: madakamUnitId, headCount: 12, capacityUtilisation: 0, isicCode: '2829', updatedAt: profileUpdatedAt },
      };
      given([madakamRegistered()])
        .when(fill)
        .then([{ type: 'UnitProfileUpdated', data: { ...fill.data } }]);
    });
  });

  describe('when the unit’s profile is updated', () => {
    it('records only the fields that changed', () => {
      given([kiaRegistered]).when(updateKiaProfile).then([kiaProfileUpdated]);
    });

    it('holds the new values, everything else kept', () => {
      given([kiaRegistered, kiaProfileUpdated]).thenState({ ...kiaState, headCount: 120, capacityUtilisation: 65 });
    });

    it('records nothing when nothing changed', () => {
      given([kiaRegistered, kiaProfileUpdated]).when(updateKiaProfile).thenNothingHappened();
      given([kiaRegistered])
        .when({ type: 'UpdateUnitProfile', data: { unitId: kiaUnitId, updatedAt: profileUpdatedAt } })
        .thenNothingHappened();
    });

    it('clears a field given as null', () => {
      const clear: UpdateUnitProfile = {
        type: 'UpdateUnitProfile',
        data: { unitId: kiaUnitId, isicCode: null, updatedAt: profileUpdatedAt },
      };
      given([kiaRegistered]).when(clear).then([{ type: 'UnitProfileUpdated', data: { ...clear.data } }]);
      given([kiaRegistered]).when(clear).thenState({ ...kiaState, isicCode: null });
    });

    it('changes the sector', () => {
      const resector: UpdateUnitProfile = {
        type: 'UpdateUnitProfile',
        data: { unitId: kiaUnitId, sector: 'قطعات و مجموعه‌های خودرو', updatedAt: profileUpdatedAt },
      };
      given([kiaRegistered]).when(resector).then([{ type: 'UnitProfileUpdated', data: { ...resector.data } }]);
    });

    it.each([-5, 101, Number.NaN])('rejects a capacity utilisation of %s with BAD_USER_INPUT', (capacityUtilisation) => {
      given([kiaRegistered])
        .when({ ...updateKiaProfile, data: { ...updateKiaProfile.data, capacityUtilisation } })
        .thenThrows('BAD_USER_INPUT', /percentage from 0 to 100/);
    });

    it('does not touch the activity status: that changes with a reason', () => {
      given([kiaRegistered, kiaProfileUpdated]).thenState(expect.objectContaining({ activityStatus: 'SEMI_ACTIVE', statusReason: null }));
    });
  });

  describe('decide is pure', () => {
    it('decides every command the same way twice without touching the state', () => {
      const commands: UnitCommand[] = [
        registerKia,
        kiaBecomesActive,
        changeKiaStatus('SEMI_ACTIVE'),
        linkKiaToShoePark,
        updateKiaProfile,
        { ...updateKiaProfile, data: { ...updateKiaProfile.data, capacityUtilisation: 140 } },
      ];
      const histories: UnitEvent[][] = [[], [kiaRegistered], [kiaRegistered, kiaBecameActive], [kiaRegistered, kiaLinkedToShoePark, kiaProfileUpdated]];
      for (const history of histories) {
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
const madakamUnitId = 'unit-madakam-shargh';
const kiaNationalId = '10320845716';
const kharazmiZoneId = 'zone-kharazmi-industrial-park';
/** «شهر کفش اسلامشهر»: not a likely home for a car-parts maker, but the fixture only needs another zone. */
const shoeParkZoneId = 'zone-islamshahr-shoe-city';
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
    zoneId: kharazmiZoneId,
    isicCode: '2930',
    headCount: 85,
    capacityUtilisation: 40,
    activityStatus: 'SEMI_ACTIVE',
    registeredAt,
    zoneExists: true,
  },
};

const registerMadakam: RegisterUnit = {
  type: 'RegisterUnit',
  data: {
    unitId: madakamUnitId,
    name: 'ماداکام شرق',
    nationalId: '10861934250',
    sector: 'ماشین‌آلات صنعتی',
    province: 'تهران',
    county: 'پاکدشت',
    location: null,
    zoneId: null,
    isicCode: null,
    headCount: null,
    capacityUtilisation: null,
    activityStatus: 'INACTIVE',
    registeredAt,
    // Not read: no zone is named.
    zoneExists: false,
  },
};

const { zoneExists: _kiaZoneExists, ...kiaRegisteredData } = registerKia.data;
const kiaRegistered: UnitRegistered = { type: 'UnitRegistered', data: kiaRegisteredData };

const kiaState: Extract<Unit, { status: 'registered' }> = {
  status: 'registered',
  ...kiaRegisteredData,
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

const linkKiaToShoePark: LinkUnitToZone = {
  type: 'LinkUnitToZone',
  data: { unitId: kiaUnitId, zoneId: shoeParkZoneId, zoneExists: true, linkedAt: '2025-02-01T07:00:00.000Z' },
};
const kiaLinkedToShoePark: UnitLinkedToZone = {
  type: 'UnitLinkedToZone',
  data: { unitId: kiaUnitId, zoneId: shoeParkZoneId, previousZoneId: kharazmiZoneId, linkedAt: linkKiaToShoePark.data.linkedAt },
};

const profileUpdatedAt = '2025-01-22T08:00:00.000Z';
/** Sector and ISIC code are given as they were: only head count and capacity changed. */
const updateKiaProfile: UpdateUnitProfile = {
  type: 'UpdateUnitProfile',
  data: {
    unitId: kiaUnitId,
    headCount: 120,
    capacityUtilisation: 65,
    isicCode: '2930',
    sector: 'قطعات خودرو',
    updatedAt: profileUpdatedAt,
  },
};
const kiaProfileUpdated: UnitProfileUpdated = {
  type: 'UnitProfileUpdated',
  data: { unitId: kiaUnitId, headCount: 120, capacityUtilisation: 65, updatedAt: profileUpdatedAt },
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

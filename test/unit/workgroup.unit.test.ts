import {
  meetingNumberOf,
  workgroupDecider,
  type MeetingNumberReserved,
  type RegisterWorkgroup,
  type ReserveMeetingNumber,
  type Workgroup,
  type WorkgroupCommand,
  type WorkgroupEvent,
  type WorkgroupLevel,
  type WorkgroupRegistered,
} from '../../src/domain/workgroup';
import { DeciderSpecification, expectDecideIsPure } from './decider-specification';

const given = DeciderSpecification.for(workgroupDecider);

describe('workgroup decider', () => {
  describe('when the workgroup is not registered', () => {
    it.each([
      ['a county workgroup, with province and county', () => registerPakdasht],
      ['a provincial workgroup, with a province only', () => registerTehranProvince],
      ['the national HQ, with neither', () => registerNationalHq],
    ])('registers %s', (_case, command) => {
      given([])
        .when(command())
        .then([{ type: 'WorkgroupRegistered', data: { ...command().data } }]);
    });

    it.each<[WorkgroupLevel, string | null, string | null, { field: string; messages: string[] }[]]>([
      ['COUNTY', 'تهران', null, [{ field: 'county', messages: ['a COUNTY body needs a county'] }]],
      [
        'COUNTY',
        null,
        null,
        [
          { field: 'province', messages: ['a COUNTY body needs a province'] },
          { field: 'county', messages: ['a COUNTY body needs a county'] },
        ],
      ],
      ['PROVINCE', 'تهران', 'اسلامشهر', [{ field: 'county', messages: ['a PROVINCE body has no county'] }]],
      ['PROVINCE', null, null, [{ field: 'province', messages: ['a PROVINCE body needs a province'] }]],
      ['NATIONAL', 'تهران', null, [{ field: 'province', messages: ['a NATIONAL body has no province'] }]],
      [
        'NATIONAL',
        'تهران',
        'پاکدشت',
        [
          { field: 'province', messages: ['a NATIONAL body has no province'] },
          { field: 'county', messages: ['a NATIONAL body has no county'] },
        ],
      ],
    ])('rejects a %s body with province %s and county %s with BAD_USER_INPUT', (level, province, county, fields) => {
      const error = given([])
        .when({ ...registerPakdasht, data: { ...registerPakdasht.data, level, province, county } })
        .thenThrows('BAD_USER_INPUT', `the province and county do not fit a ${level} body`);
      expect(error.details).toEqual({ fields });
    });

    it('rejects reserving a meeting number with NOT_FOUND', () => {
      given([]).when(reserveFor(firstMeetingId)).thenThrows('NOT_FOUND', `workgroup ${pakdashtId} does not exist`);
    });

    it('ignores a reservation without a registration', () => {
      given([reservedFor(firstMeetingId, 1)]).thenState({ status: 'ABSENT' });
    });

    it('has no meeting numbers', () => {
      expect(meetingNumberOf({ status: 'ABSENT' }, firstMeetingId)).toBeNull();
    });
  });

  describe('when the workgroup is registered', () => {
    it('is registered with no sessions numbered', () => {
      given([pakdashtRegistered]).thenState(registeredState);
    });

    it('rejects registering it again with CONFLICT', () => {
      const error = given([pakdashtRegistered])
        .when(registerPakdasht)
        .thenThrows('CONFLICT', `workgroup ${pakdashtId} already exists`);
      expect(error.details).toEqual({ workgroupId: pakdashtId });
    });

    it('numbers its first session 1', () => {
      given([pakdashtRegistered]).when(reserveFor(firstMeetingId)).then([reservedFor(firstMeetingId, 1)]);
    });
  });

  describe('when sessions are numbered', () => {
    const history = (): WorkgroupEvent[] => [
      pakdashtRegistered,
      reservedFor(firstMeetingId, 1),
      reservedFor(secondMeetingId, 2),
    ];

    it('holds each meeting’s number', () => {
      given(history()).thenState({ ...registeredState, meetingNumbers: { [firstMeetingId]: 1, [secondMeetingId]: 2 } });
    });

    it('numbers the next session one more than the last', () => {
      given(history()).when(reserveFor(thirdMeetingId)).then([reservedFor(thirdMeetingId, 3)]);
    });

    it('records nothing for a meeting already numbered: a retry keeps its number', () => {
      given(history()).when(reserveFor(firstMeetingId)).thenNothingHappened();
      given(history()).when(reserveFor(secondMeetingId)).thenNothingHappened();
    });

    it('tells a meeting’s number, and null for one it never numbered', () => {
      const state = history().reduce(workgroupDecider.evolve, workgroupDecider.initialState());
      expect(meetingNumberOf(state, secondMeetingId)).toBe(2);
      expect(meetingNumberOf(state, thirdMeetingId)).toBeNull();
      // Not fooled by a meeting id that names an Object.prototype member.
      expect(meetingNumberOf(state, 'toString')).toBeNull();
    });

    it('numbers a meeting whose id is `__proto__` like any other', () => {
      given(history()).when(reserveFor('__proto__')).then([reservedFor('__proto__', 3)]);
      given([...history(), reservedFor('__proto__', 3)]).when(reserveFor('__proto__')).thenNothingHappened();
      given([...history(), reservedFor('__proto__', 3)]).when(reserveFor(thirdMeetingId)).then([reservedFor(thirdMeetingId, 4)]);
    });

    it('still rejects registering it again with CONFLICT', () => {
      given(history()).when(registerPakdasht).thenThrows('CONFLICT');
    });
  });

  describe('decide is pure', () => {
    it('decides every command the same way twice, in every state, without touching the state', () => {
      const commands: WorkgroupCommand[] = [
        registerPakdasht,
        registerTehranProvince,
        { ...registerNationalHq, data: { ...registerNationalHq.data, county: 'پاکدشت' } },
        reserveFor(firstMeetingId),
        reserveFor(thirdMeetingId),
      ];
      const histories: WorkgroupEvent[][] = [[], [pakdashtRegistered], [pakdashtRegistered, reservedFor(firstMeetingId, 1)]];
      for (const history of histories) {
        for (const command of commands) expectDecideIsPure(workgroupDecider, history, command);
      }
    });
  });
});

// ─── Fixtures: the three levels of the facilitation HQ, from Pakdasht's county workgroup up ───

const pakdashtId = 'workgroup-pakdasht';
const firstMeetingId = 'meeting-pakdasht-1403-09-07';
const secondMeetingId = 'meeting-pakdasht-1403-09-14';
const thirdMeetingId = 'meeting-pakdasht-1403-09-21';

const registerPakdasht: RegisterWorkgroup = {
  type: 'RegisterWorkgroup',
  data: {
    workgroupId: pakdashtId,
    level: 'COUNTY',
    province: 'تهران',
    county: 'پاکدشت',
    name: 'کارگروه ستاد تسهیل و رفع موانع تولید شهرستان پاکدشت',
    registeredAt: '2024-10-01T06:00:00.000Z',
  },
};
const pakdashtRegistered: WorkgroupRegistered = { type: 'WorkgroupRegistered', data: { ...registerPakdasht.data } };

const registerTehranProvince: RegisterWorkgroup = {
  type: 'RegisterWorkgroup',
  data: {
    workgroupId: 'workgroup-tehran-province',
    level: 'PROVINCE',
    province: 'تهران',
    county: null,
    name: 'کارگروه تسهیل و رفع موانع تولید استان تهران',
    registeredAt: '2024-10-01T06:00:00.000Z',
  },
};

const registerNationalHq: RegisterWorkgroup = {
  type: 'RegisterWorkgroup',
  data: {
    workgroupId: 'workgroup-national-hq',
    level: 'NATIONAL',
    province: null,
    county: null,
    name: 'ستاد تسهیل و رفع موانع تولید',
    registeredAt: '2024-10-01T06:00:00.000Z',
  },
};

const reservedAt = '2024-11-20T06:00:00.000Z';

const reserveFor = (meetingId: string): ReserveMeetingNumber => ({
  type: 'ReserveMeetingNumber',
  data: { workgroupId: pakdashtId, meetingId, reservedAt },
});
const reservedFor = (meetingId: string, number: number): MeetingNumberReserved => ({
  type: 'MeetingNumberReserved',
  data: { workgroupId: pakdashtId, meetingId, number, reservedAt },
});

const registeredState: Exclude<Workgroup, { status: 'ABSENT' }> = {
  status: 'REGISTERED',
  ...registerPakdasht.data,
  meetingNumbers: {},
};

import {
  commitmentDecider,
  isOverdue,
  keptAsPromised,
  type Commitment,
  type CommitmentBroken,
  type CommitmentCommand,
  type CommitmentEvent,
  type CommitmentExtended,
  type CommitmentKept,
  type CommitmentMade,
  type ExtendCommitment,
  type MakeCommitment,
  type RecordCommitmentBroken,
  type RecordCommitmentKept,
} from '../../src/domain/commitment';
import { DeciderSpecification, expectDecideIsPure } from './decider-specification';

const given = DeciderSpecification.for(commitmentDecider);

describe('commitment decider', () => {
  describe('when the commitment was not made', () => {
    it('records the promise, without the facts', () => {
      given([]).when(promiseShoeCity).then([shoeCityPromised]);
    });

    it('records a promise made in a meeting, to named units, outside any zone', () => {
      const { sourceExists: _s, existingUnitIds: _u, zoneExists: _z, ...data } = promisePaving.data;
      given([]).when(promisePaving).then([{ type: 'CommitmentMade', data }]);
    });

    it.each([
      ['visit', () => promiseShoeCity, () => visitId],
      ['meeting', () => promisePaving, () => meetingId],
    ])('rejects a %s that does not exist with NOT_FOUND', (kind, command, id) => {
      given([])
        .when({ ...command(), data: { ...command().data, sourceExists: false } })
        .thenThrows('NOT_FOUND', `${kind} ${id()} does not exist`);
    });

    it('rejects units that do not exist with NOT_FOUND, naming the first missing', () => {
      given([])
        .when({ ...promisePaving, data: { ...promisePaving.data, existingUnitIds: [dehghanShoesId] } })
        .thenThrows('NOT_FOUND', `unit ${padarShoesId} does not exist`);
    });

    it('rejects a zone that does not exist with NOT_FOUND', () => {
      given([])
        .when({ ...promiseShoeCity, data: { ...promiseShoeCity.data, zoneExists: false } })
        .thenThrows('NOT_FOUND', `zone ${islamshahrClustersZoneId} does not exist`);
    });

    it('rejects a due date before the promise with BAD_USER_INPUT on dueDate', () => {
      const error = given([])
        .when({ ...promiseShoeCity, data: { ...promiseShoeCity.data, dueDate: '2024-11-01T20:30:00.000Z' } })
        .thenThrows('BAD_USER_INPUT', 'the due date is before the promise was made');
      expect(error.details).toEqual({
        fields: [{ field: 'dueDate', messages: ['the due date is before the promise was made'] }],
      });
    });

    it.each([
      ['RecordCommitmentKept', () => recordKept],
      ['RecordCommitmentBroken', () => recordBroken],
      ['ExtendCommitment', () => extendToSummer],
    ])('rejects %s with NOT_FOUND', (_type, command) => {
      given([]).when(command()).thenThrows('NOT_FOUND', `commitment ${commitmentId} does not exist`);
    });

    it('ignores a later event without the promise', () => {
      given([extendedToSummer, kept]).thenState({ status: 'ABSENT' });
    });

    it('is never overdue', () => {
      expect(isOverdue({ status: 'ABSENT' }, afterDue)).toBe(false);
      expect(keptAsPromised({ status: 'ABSENT' })).toBe(false);
    });
  });

  describe('when the commitment is open', () => {
    it('is open, due on the date promised, without the description', () => {
      given([shoeCityPromised]).thenState(openState);
    });

    it('rejects making it again with CONFLICT', () => {
      const error = given([shoeCityPromised])
        .when(promiseShoeCity)
        .thenThrows('CONFLICT', `commitment ${commitmentId} already exists`);
      expect(error.details).toEqual({ commitmentId });
    });

    it('records it as kept, with the evidence', () => {
      given([shoeCityPromised]).when(recordKept).then([kept]);
    });

    it('records it as broken, with the evidence', () => {
      given([shoeCityPromised]).when(recordBroken).then([broken]);
    });

    it('extends it to a later date, recording the date it had', () => {
      given([shoeCityPromised]).when(extendToSummer).then([extendedToSummer]);
    });

    it('rejects extending it to an earlier date with BAD_USER_INPUT on newDueDate', () => {
      const error = given([shoeCityPromised])
        .when({ ...extendToSummer, data: { ...extendToSummer.data, newDueDate: '2025-01-20T20:30:00.000Z' } })
        .thenThrows('BAD_USER_INPUT', 'a commitment can only be extended to a later date');
      expect(error.details).toEqual({
        fields: [{ field: 'newDueDate', messages: [`must be after the due date ${dueDate}`] }],
      });
    });

    it('rejects extending it to the date it already has with BAD_USER_INPUT', () => {
      given([shoeCityPromised])
        .when({ ...extendToSummer, data: { ...extendToSummer.data, newDueDate: dueDate } })
        .thenThrows('BAD_USER_INPUT');
    });

    it('compares due dates as instants: the same moment in Tehran time is not later', () => {
      given([shoeCityPromised])
        .when({ ...extendToSummer, data: { ...extendToSummer.data, newDueDate: '2025-03-21T00:00:00+03:30' } })
        .thenThrows('BAD_USER_INPUT');
    });

    it('rejects a new due date that is not ISO-8601 with BAD_USER_INPUT', () => {
      given([shoeCityPromised])
        .when({ ...extendToSummer, data: { ...extendToSummer.data, newDueDate: 'پایان تابستان' } })
        .thenThrows('BAD_USER_INPUT');
    });

    it('is overdue only after its due date', () => {
      expect(isOverdue(openState, beforeDue)).toBe(false);
      expect(isOverdue(openState, dueDate)).toBe(false);
      expect(isOverdue(openState, afterDue)).toBe(true);
    });
  });

  describe('when the commitment is extended', () => {
    const history = (): CommitmentEvent[] => [shoeCityPromised, extendedToSummer];

    it('is due on the new date, the date first promised kept', () => {
      given(history()).thenState(extendedState);
    });

    it('is not overdue between the first and the new due date, and is after the new one', () => {
      expect(isOverdue(extendedState, afterDue)).toBe(false);
      expect(isOverdue(extendedState, '2025-10-01T00:00:00.000Z')).toBe(true);
    });

    it('rejects an extension to a date between the first and the new one with BAD_USER_INPUT', () => {
      given(history())
        .when({ ...extendToSummer, data: { ...extendToSummer.data, newDueDate: afterDue } })
        .thenThrows('BAD_USER_INPUT', /later date/);
    });

    it('extends it again, counting the extensions', () => {
      const extendToAutumn: ExtendCommitment = {
        type: 'ExtendCommitment',
        data: { commitmentId, newDueDate: '2025-12-21T20:30:00.000Z', reason: 'تاخیر در تامین اعتبار', extendedAt: '2025-09-01T06:00:00.000Z' },
      };
      given(history())
        .when(extendToAutumn)
        .then([
          {
            type: 'CommitmentExtended',
            data: { commitmentId, from: extendedDueDate, to: extendToAutumn.data.newDueDate, reason: extendToAutumn.data.reason, extendedAt: extendToAutumn.data.extendedAt },
          },
        ]);
      given(history())
        .when(extendToAutumn)
        .thenState({ ...extendedState, dueDate: extendToAutumn.data.newDueDate, timesExtended: 2 });
    });

    it('counts a promise kept by the new date, after the first, as kept but not as promised', () => {
      const keptLate = stateAfter([...history(), { ...kept, data: { ...kept.data, recordedAt: afterDue } }]);
      expect(keptLate.status).toBe('KEPT');
      expect(keptAsPromised(keptLate)).toBe(false);
    });
  });

  describe.each([
    ['kept', () => kept, 'KEPT'],
    ['broken', () => broken, 'BROKEN'],
  ] as const)('when the commitment is %s', (_case, settled, status) => {
    const history = (): CommitmentEvent[] => [shoeCityPromised, settled()];

    it('holds the outcome and when it was recorded', () => {
      given(history()).thenState({ ...openState, status, settledAt: settled().data.recordedAt });
    });

    it('rejects making it again with CONFLICT', () => {
      given(history()).when(promiseShoeCity).thenThrows('CONFLICT');
    });

    it.each([
      ['RecordCommitmentKept', () => recordKept, 'record it as kept'],
      ['RecordCommitmentBroken', () => recordBroken, 'record it as broken'],
      ['ExtendCommitment', () => extendToSummer, 'extend'],
    ])('rejects %s with INVALID_TRANSITION', (_type, command, verb) => {
      const error = given(history()).when(command()).thenThrows('INVALID_TRANSITION', `cannot ${verb}: the commitment is ${status}`);
      expect(error.details).toEqual({ status, command: verb });
    });

    it('is never overdue once settled', () => {
      expect(isOverdue(stateAfter(history()), afterDue)).toBe(false);
    });
  });

  describe('kept as promised', () => {
    it('is when kept by the date first promised', () => {
      expect(keptAsPromised(stateAfter([shoeCityPromised, kept]))).toBe(true);
    });

    it('is when kept on the due date itself', () => {
      expect(keptAsPromised(stateAfter([shoeCityPromised, { ...kept, data: { ...kept.data, recordedAt: dueDate } }]))).toBe(true);
    });

    it('is not when kept after it', () => {
      expect(keptAsPromised(stateAfter([shoeCityPromised, { ...kept, data: { ...kept.data, recordedAt: afterDue } }]))).toBe(false);
    });

    it('is not when broken, nor while open', () => {
      expect(keptAsPromised(stateAfter([shoeCityPromised, broken]))).toBe(false);
      expect(keptAsPromised(openState)).toBe(false);
    });
  });

  describe('decide is pure', () => {
    it('decides every command the same way twice, in every state, without touching the state', () => {
      const commands: CommitmentCommand[] = [
        promiseShoeCity,
        { ...promiseShoeCity, data: { ...promiseShoeCity.data, sourceExists: false } },
        recordKept,
        recordBroken,
        extendToSummer,
        { ...extendToSummer, data: { ...extendToSummer.data, newDueDate: beforeDue } },
      ];
      const histories: CommitmentEvent[][] = [[], [shoeCityPromised], [shoeCityPromised, extendedToSummer], [shoeCityPromised, kept]];
      for (const history of histories) {
        for (const command of commands) expectDecideIsPure(commitmentDecider, history, command);
      }
    });
  });
});

const stateAfter = (events: CommitmentEvent[]): Commitment =>
  events.reduce(commitmentDecider.evolve, commitmentDecider.initialState());

// ─── Fixtures: «قول‌های مساعد» of the economic deputy to Islamshahr's shoe producers ───

const commitmentId = 'commitment-islamshahr-shoe-city';
const visitId = 'visit-islamshahr-asgari-1403';
const meetingId = 'meeting-tehran-province-islamshahr-1403';
const islamshahrClustersZoneId = 'zone-chahardangeh-cluster';
const dehghanShoesId = 'unit-dehghan-shoes';
const padarShoesId = 'unit-padar-street-shoes';
/** «by the end of the year»: midnight Tehran time at Nowruz, 1404/01/01. */
const dueDate = '2025-03-20T20:30:00.000Z';
const beforeDue = '2025-02-01T06:00:00.000Z';
const afterDue = '2025-04-01T06:00:00.000Z';
const extendedDueDate = '2025-09-22T20:30:00.000Z';

const promiseShoeCity: MakeCommitment = {
  type: 'MakeCommitment',
  data: {
    commitmentId,
    madeBy: 'حشمت الله عسگری، معاون اقتصادی استاندار تهران',
    agency: 'استانداری تهران',
    madeTo: 'تولیدکنندگان کفش اسلامشهر',
    description: 'احداث شهر کفش اسلامشهر و ساماندهی لکه‌های صنعتی',
    dueDate,
    source: { kind: 'VISIT', id: visitId },
    province: 'تهران',
    county: 'اسلامشهر',
    zoneId: islamshahrClustersZoneId,
    unitIds: [],
    madeAt: '2024-11-24T08:00:00.000Z',
    sourceExists: true,
    existingUnitIds: [],
    zoneExists: true,
  },
};
const { sourceExists: _s, existingUnitIds: _u, zoneExists: _z, ...shoeCityData } = promiseShoeCity.data;
const shoeCityPromised: CommitmentMade = { type: 'CommitmentMade', data: shoeCityData };

const promisePaving: MakeCommitment = {
  type: 'MakeCommitment',
  data: {
    commitmentId: 'commitment-padar-street-paving',
    madeBy: 'شهردار اسلامشهر',
    agency: 'شهرداری اسلامشهر',
    madeTo: 'تولیدکنندگان کفش خیابان پدر',
    description: 'آسفالت خیابان پدر و نصب المان در ورودی چهاردانگه',
    dueDate: '2024-12-21T20:30:00.000Z',
    source: { kind: 'MEETING', id: meetingId },
    province: 'تهران',
    county: 'اسلامشهر',
    zoneId: null,
    unitIds: [dehghanShoesId, padarShoesId],
    madeAt: '2024-11-24T10:00:00.000Z',
    sourceExists: true,
    existingUnitIds: [dehghanShoesId, padarShoesId],
    zoneExists: false,
  },
};

const recordKept: RecordCommitmentKept = {
  type: 'RecordCommitmentKept',
  data: { commitmentId, evidence: 'کلنگ شهر کفش اسلامشهر به زمین زده شد', recordedAt: '2025-03-10T06:00:00.000Z' },
};
const kept: CommitmentKept = { type: 'CommitmentKept', data: { ...recordKept.data } };

const recordBroken: RecordCommitmentBroken = {
  type: 'RecordCommitmentBroken',
  data: { commitmentId, evidence: 'تا پایان سال هیچ زمینی برای شهر کفش واگذار نشد', recordedAt: '2025-03-25T06:00:00.000Z' },
};
const broken: CommitmentBroken = { type: 'CommitmentBroken', data: { ...recordBroken.data } };

const extendToSummer: ExtendCommitment = {
  type: 'ExtendCommitment',
  data: { commitmentId, newDueDate: extendedDueDate, reason: 'اصلاح مصوبه دولت هنوز ابلاغ نشده است', extendedAt: '2025-03-01T06:00:00.000Z' },
};
const extendedToSummer: CommitmentExtended = {
  type: 'CommitmentExtended',
  data: { commitmentId, from: dueDate, to: extendedDueDate, reason: extendToSummer.data.reason, extendedAt: extendToSummer.data.extendedAt },
};

type OpenCommitment = Exclude<Commitment, { status: 'ABSENT' }>;

const { description: _description, ...openData } = shoeCityData;
const openState: OpenCommitment = {
  status: 'OPEN',
  ...openData,
  originalDueDate: dueDate,
  timesExtended: 0,
  settledAt: null,
};

const extendedState: OpenCommitment = { ...openState, dueDate: extendedDueDate, timesExtended: 1 };

import {
  DEFAULT_OBJECTION_WINDOW_DAYS,
  RESOLUTION_OUTCOMES,
  implementedOnTime,
  isOverdue,
  isSettled,
  resolutionDecider,
  type CommunicateResolution,
  type DecideObjection,
  type ObjectToResolution,
  type RecordResolution,
  type RecordResolutionOutcome,
  type ReportResolutionProgress,
  type Resolution,
  type ResolutionCommand,
  type ResolutionCommunicated,
  type ResolutionEvent,
  type ResolutionObjected,
  type ResolutionObjectionRejected,
  type ResolutionOutcome,
  type ResolutionOutcomeRecorded,
  type ResolutionProgressReported,
  type ResolutionRecorded,
  type ResolutionWithdrawn,
} from '../../src/domain/resolution';
import { DeciderSpecification, expectDecideIsPure } from './decider-specification';

const given = DeciderSpecification.for(resolutionDecider);

describe('resolution decider', () => {
  describe('when the resolution does not exist', () => {
    it('records it on an obstacle, without the facts', () => {
      given([]).when(record).then([recorded]);
    });

    it('records it on a unit with no obstacle, the obstacle flag unread', () => {
      const { meetingHeld: _m, obstacleExists: _o, ...data } = recordForUnit.data;
      given([]).when(recordForUnit).then([{ type: 'ResolutionRecorded', data }]);
    });

    it('rejects it when the meeting has not been held with INVALID_TRANSITION', () => {
      const error = given([])
        .when({ ...record, data: { ...record.data, meetingHeld: false } })
        .thenThrows('INVALID_TRANSITION', `cannot record a resolution: meeting ${meetingId} has not been held`);
      expect(error.details).toEqual({ meetingId, command: 'record a resolution' });
    });

    it('reports INVALID_TRANSITION for an unheld meeting before checking the obstacle', () => {
      given([])
        .when({ ...record, data: { ...record.data, meetingHeld: false, obstacleExists: false } })
        .thenThrows('INVALID_TRANSITION');
    });

    it('rejects an obstacle that does not exist with NOT_FOUND', () => {
      given([])
        .when({ ...record, data: { ...record.data, obstacleExists: false } })
        .thenThrows('NOT_FOUND', `obstacle ${obstacleId} does not exist`);
    });

    it('rejects a deadline before the meeting recorded it with BAD_USER_INPUT on the deadline', () => {
      const error = given([])
        .when({ ...record, data: { ...record.data, deadline: '2024-12-04T06:00:00.000Z' } })
        .thenThrows('BAD_USER_INPUT', 'the deadline is before the resolution');
      expect(error.details).toEqual({
        fields: [{ field: 'deadline', messages: ['deadline must not be before the meeting recorded it'] }],
      });
    });

    it('rejects a deadline that is not an ISO-8601 time with BAD_USER_INPUT', () => {
      given([])
        .when({ ...record, data: { ...record.data, deadline: '۱۴۰۳/۱۰/۰۴' } })
        .thenThrows('BAD_USER_INPUT');
    });

    it.each([
      ['CommunicateResolution', () => communicate],
      ['ObjectToResolution', () => objectByBankMelli],
      ['DecideObjection', () => acceptObjection],
      ['ReportResolutionProgress', () => reportProgress],
      ['RecordResolutionOutcome', () => recordOutcome('IMPLEMENTED')],
    ])('rejects %s with NOT_FOUND', (_type, command) => {
      given([]).when(command()).thenThrows('NOT_FOUND', `resolution ${resolutionId} does not exist`);
    });

    it('ignores a later event without a recording', () => {
      given([communicated, progressReported]).thenState({ status: 'ABSENT' });
    });

    it('is neither settled, nor overdue, nor implemented on time', () => {
      const absent: Resolution = { status: 'ABSENT' };
      expect(isSettled(absent)).toBe(false);
      expect(isOverdue(absent, afterDeadline)).toBe(false);
      expect(implementedOnTime(absent)).toBe(false);
    });
  });

  describe('when the resolution is recorded', () => {
    it('is recorded, not yet communicated', () => {
      given([recorded]).thenState(recordedState);
    });

    it('rejects recording it again with CONFLICT', () => {
      const error = given([recorded]).when(record).thenThrows('CONFLICT', `resolution ${resolutionId} already exists`);
      expect(error.details).toEqual({ resolutionId });
    });

    it('communicates it, the objection window running from then', () => {
      given([recorded]).when(communicate).then([communicated]);
    });

    it('counts the window in days of 24 hours from the communication instant, whatever its offset', () => {
      given([recorded])
        .when({ ...communicate, data: { ...communicate.data, communicatedAt: '2024-12-05T09:30:00+03:30' } })
        .then([
          {
            type: 'ResolutionCommunicated',
            data: { ...communicated.data, communicatedAt: '2024-12-05T09:30:00+03:30', objectionDeadline: '2024-12-20T06:00:00.000Z' },
          },
        ]);
    });

    it('takes another window than the default', () => {
      given([recorded])
        .when({ ...communicate, data: { ...communicate.data, objectionWindowDays: 0 } })
        .then([
          {
            type: 'ResolutionCommunicated',
            data: { ...communicated.data, objectionWindowDays: 0, objectionDeadline: '2024-12-05T06:00:00.000Z' },
          },
        ]);
    });

    it.each([-1, 2.5, Number.NaN])('rejects a window of %s days with BAD_USER_INPUT', (objectionWindowDays) => {
      const error = given([recorded])
        .when({ ...communicate, data: { ...communicate.data, objectionWindowDays } })
        .thenThrows('BAD_USER_INPUT', 'the objection window is a whole number of days, 0 or more');
      expect(error.details).toEqual({
        fields: [{ field: 'objectionWindowDays', messages: ['the objection window is a whole number of days, 0 or more'] }],
      });
    });

    it.each([['before it was recorded', '2024-12-04T06:00:00.000Z'], ['at no time', 'فردا']])(
      'rejects a communication %s with BAD_USER_INPUT',
      (_case, communicatedAt) => {
        given([recorded])
          .when({ ...communicate, data: { ...communicate.data, communicatedAt } })
          .thenThrows('BAD_USER_INPUT', 'a resolution cannot be communicated before it was recorded');
      },
    );

    it.each([
      ['ObjectToResolution', () => objectByBankMelli, 'object'],
      ['DecideObjection', () => acceptObjection, 'decide an objection'],
      ['ReportResolutionProgress', () => reportProgress, 'report progress'],
      ['RecordResolutionOutcome', () => recordOutcome('IMPLEMENTED'), 'record an outcome'],
    ])('rejects %s before communication with INVALID_TRANSITION', (_type, command, verb) => {
      const error = given([recorded]).when(command()).thenThrows('INVALID_TRANSITION', `cannot ${verb}: the resolution is RECORDED`);
      expect(error.details).toEqual({ status: 'RECORDED', command: verb });
    });

    it('is unsettled, overdue only after its deadline', () => {
      const state = stateAfter([recorded]);
      expect(isSettled(state)).toBe(false);
      expect(isOverdue(state, beforeDeadline)).toBe(false);
      expect(isOverdue(state, deadline)).toBe(false);
      expect(isOverdue(state, afterDeadline)).toBe(true);
      expect(implementedOnTime(state)).toBe(false);
    });

    it('judges overdue on instants, whatever the offsets', () => {
      const state = stateAfter([recorded]);
      // 23:59 Tehran time on 1403/10/04 is 20:29Z, a minute before the deadline, though it sorts after it.
      expect(isOverdue(state, '2024-12-24T23:59:00+03:30')).toBe(false);
      // 00:01 Tehran time on 1403/10/05 is a minute after it.
      expect(isOverdue(state, '2024-12-25T00:01:00+03:30')).toBe(true);
    });
  });

  describe('when the resolution is communicated', () => {
    const history = (): ResolutionEvent[] => [recorded, communicated];

    it('is communicated, with the objection deadline', () => {
      given(history()).thenState(communicatedState);
    });

    it('rejects recording it again with CONFLICT', () => {
      given(history()).when(record).thenThrows('CONFLICT');
    });

    it('rejects communicating it again with INVALID_TRANSITION', () => {
      given(history()).when(communicate).thenThrows('INVALID_TRANSITION', 'cannot communicate: the resolution is COMMUNICATED');
    });

    it('takes the lead agency’s objection within the window', () => {
      given(history()).when(objectByBankMelli).then([objectedByBankMelli]);
    });

    it('takes an objection at the very end of the window', () => {
      const lastMoment = { ...objectByBankMelli, data: { ...objectByBankMelli.data, objectedAt: objectionDeadline } };
      given(history())
        .when(lastMoment)
        .then([{ type: 'ResolutionObjected', data: { ...lastMoment.data } }]);
    });

    it('rejects an objection after the window with INVALID_TRANSITION, saying when it closed', () => {
      const error = given(history())
        .when(objectLate)
        .thenThrows('INVALID_TRANSITION', `cannot object: the objection window closed at ${objectionDeadline}`);
      expect(error.details).toEqual({ status: 'COMMUNICATED', command: 'object', objectionDeadline });
    });

    it('rejects an objection a millisecond after the window', () => {
      given(history())
        .when({ ...objectByBankMelli, data: { ...objectByBankMelli.data, objectedAt: '2024-12-20T06:00:00.001Z' } })
        .thenThrows('INVALID_TRANSITION', /objection window closed/);
    });

    it('rejects an objection by a cooperating agency with FORBIDDEN', () => {
      const error = given(history())
        .when(objectBySmt)
        .thenThrows('FORBIDDEN', `only the lead agency بانک ملی may object to resolution ${resolutionId}, not اداره صمت`);
      expect(error.details).toEqual({ leadAgency: 'بانک ملی', agency: 'اداره صمت' });
    });

    it('reports FORBIDDEN for another agency before looking at the window', () => {
      given(history())
        .when({ ...objectBySmt, data: { ...objectBySmt.data, objectedAt: objectLate.data.objectedAt } })
        .thenThrows('FORBIDDEN');
    });

    it('rejects an objection time that is not ISO-8601 with BAD_USER_INPUT', () => {
      given(history())
        .when({ ...objectByBankMelli, data: { ...objectByBankMelli.data, objectedAt: 'دیروز' } })
        .thenThrows('BAD_USER_INPUT', 'the objection time is not an ISO-8601 time');
    });

    it('rejects deciding an objection that was never made with INVALID_TRANSITION', () => {
      given(history()).when(acceptObjection).thenThrows('INVALID_TRANSITION', 'cannot decide an objection: the resolution is COMMUNICATED');
    });

    it('takes progress while the window is still open, which closes it', () => {
      given(history()).when(reportProgress).then([progressReported]);
    });

    it.each(RESOLUTION_OUTCOMES)('records the outcome %s directly', (outcome) => {
      given(history())
        .when(recordOutcome(outcome))
        .then([outcomeRecorded(outcome)]);
    });

    it('is not overdue before its deadline, and is after it', () => {
      expect(isOverdue(communicatedState, beforeDeadline)).toBe(false);
      expect(isOverdue(communicatedState, afterDeadline)).toBe(true);
    });
  });

  describe('when the lead agency has objected', () => {
    const history = (): ResolutionEvent[] => [recorded, communicated, objectedByBankMelli];

    it('is objected, the objection awaiting a decision', () => {
      given(history()).thenState(objectedState);
    });

    it('rejects a second objection with INVALID_TRANSITION', () => {
      given(history()).when(objectByBankMelli).thenThrows('INVALID_TRANSITION', 'cannot object: the resolution is OBJECTED');
    });

    it('withdraws the resolution when the objection is accepted', () => {
      given(history()).when(acceptObjection).then([withdrawn]);
    });

    it('keeps the resolution when the objection is rejected', () => {
      given(history()).when(rejectObjection).then([objectionRejected]);
    });

    it.each([
      ['CommunicateResolution', () => communicate, 'communicate'],
      ['ReportResolutionProgress', () => reportProgress, 'report progress'],
      ['RecordResolutionOutcome', () => recordOutcome('IMPLEMENTED'), 'record an outcome'],
    ])('rejects %s while the objection is pending with INVALID_TRANSITION', (_type, command, verb) => {
      given(history()).when(command()).thenThrows('INVALID_TRANSITION', `cannot ${verb}: the resolution is OBJECTED`);
    });

    it('is still overdue after its deadline: an objection does not stop the clock', () => {
      expect(isOverdue(objectedState, afterDeadline)).toBe(true);
    });
  });

  describe('when the objection was rejected', () => {
    const history = (): ResolutionEvent[] => [recorded, communicated, objectedByBankMelli, objectionRejected];

    it('is communicated again, the rejected objection on record', () => {
      given(history()).thenState({
        ...communicatedState,
        objection: { ...objectedState.objection!, accepted: false, decidedAt: rejectObjection.data.decidedAt },
      });
    });

    it('rejects another objection, even within the window, with INVALID_TRANSITION', () => {
      const error = given(history())
        .when(objectByBankMelli)
        .thenThrows('INVALID_TRANSITION', `cannot object: بانک ملی already objected on ${objectedAt} and the objection was rejected`);
      expect(error.details).toEqual({ status: 'COMMUNICATED', command: 'object' });
    });

    it('rejects deciding the objection again with INVALID_TRANSITION', () => {
      given(history()).when(acceptObjection).thenThrows('INVALID_TRANSITION', /decide an objection: the resolution is COMMUNICATED/);
    });

    it('takes progress', () => {
      given(history()).when(reportProgress).then([progressReported]);
    });

    it('records an outcome', () => {
      given(history()).when(recordOutcome('NOT_IMPLEMENTED')).then([outcomeRecorded('NOT_IMPLEMENTED')]);
    });
  });

  describe('when progress is reported', () => {
    const history = (): ResolutionEvent[] => [recorded, communicated, progressReported];

    it('is in progress', () => {
      given(history()).thenState({ ...communicatedState, status: 'IN_PROGRESS' });
    });

    it('rejects an objection, even within the window, with INVALID_TRANSITION', () => {
      given(history()).when(objectByBankMelli).thenThrows('INVALID_TRANSITION', 'cannot object: the resolution is IN_PROGRESS');
    });

    it.each([
      ['CommunicateResolution', () => communicate, 'communicate'],
      ['DecideObjection', () => rejectObjection, 'decide an objection'],
    ])('rejects %s with INVALID_TRANSITION', (_type, command, verb) => {
      given(history()).when(command()).thenThrows('INVALID_TRANSITION', `cannot ${verb}: the resolution is IN_PROGRESS`);
    });

    it('takes more progress and stays in progress', () => {
      const more: ReportResolutionProgress = {
        type: 'ReportResolutionProgress',
        data: { resolutionId, note: 'کمیته امهال استان با تنفس شش‌ماهه موافقت کرد', reportedAt: '2024-12-15T07:00:00.000Z' },
      };
      given(history())
        .when(more)
        .then([{ type: 'ResolutionProgressReported', data: { ...more.data } }]);
      given(history()).when(more).thenState({ ...communicatedState, status: 'IN_PROGRESS' });
    });

    it.each(RESOLUTION_OUTCOMES)('records the outcome %s', (outcome) => {
      given(history()).when(recordOutcome(outcome)).then([outcomeRecorded(outcome)]);
    });

    it('is overdue after its deadline', () => {
      expect(isOverdue(stateAfter(history()), afterDeadline)).toBe(true);
    });
  });

  describe('when the resolution is settled', () => {
    const settledHistories: [string, () => ResolutionEvent[], () => Resolution][] = [
      [
        'IMPLEMENTED',
        () => [recorded, communicated, progressReported, outcomeRecorded('IMPLEMENTED')],
        () => settledState('IMPLEMENTED'),
      ],
      [
        'NOT_IMPLEMENTED',
        () => [recorded, communicated, progressReported, outcomeRecorded('NOT_IMPLEMENTED')],
        () => settledState('NOT_IMPLEMENTED'),
      ],
      ['NO_ACTION', () => [recorded, communicated, outcomeRecorded('NO_ACTION')], () => settledState('NO_ACTION')],
      [
        'WITHDRAWN',
        () => [recorded, communicated, objectedByBankMelli, withdrawn],
        () => ({
          ...objectedState,
          status: 'WITHDRAWN',
          objection: { ...objectedState.objection!, accepted: true, decidedAt: acceptObjection.data.decidedAt },
          settledAt: acceptObjection.data.decidedAt,
        }),
      ],
    ];

    describe.each(settledHistories)('as %s', (status, history, expected) => {
      it('holds the outcome and when it settled', () => {
        given(history()).thenState(expected());
      });

      it('is settled, and never overdue however late it is', () => {
        const state = stateAfter(history());
        expect(isSettled(state)).toBe(true);
        expect(isOverdue(state, afterDeadline)).toBe(false);
        expect(isOverdue(state, '2030-01-01T00:00:00.000Z')).toBe(false);
      });

      it('rejects recording it again with CONFLICT', () => {
        given(history()).when(record).thenThrows('CONFLICT');
      });

      it.each([
        ['CommunicateResolution', () => communicate, 'communicate'],
        ['ObjectToResolution', () => objectByBankMelli, 'object'],
        ['DecideObjection', () => acceptObjection, 'decide an objection'],
        ['ReportResolutionProgress', () => reportProgress, 'report progress'],
        ['RecordResolutionOutcome', () => recordOutcome('IMPLEMENTED'), 'record an outcome'],
      ])('rejects %s with INVALID_TRANSITION', (_type, command, verb) => {
        given(history()).when(command()).thenThrows('INVALID_TRANSITION', `cannot ${verb}: the resolution is ${status}`);
      });
    });

    it('is overdue while unsettled and not after it settles', () => {
      const open = stateAfter([recorded, communicated, progressReported]);
      const settled = stateAfter([recorded, communicated, progressReported, outcomeRecorded('NOT_IMPLEMENTED')]);
      expect(isOverdue(open, afterDeadline)).toBe(true);
      expect(isOverdue(settled, afterDeadline)).toBe(false);
    });
  });

  describe('implemented on time', () => {
    const implementedAt = (recordedAt: string): Resolution =>
      stateAfter([recorded, communicated, { ...outcomeRecorded('IMPLEMENTED'), data: { ...outcomeRecorded('IMPLEMENTED').data, recordedAt } }]);

    it('is when implemented before the deadline', () => {
      expect(implementedOnTime(implementedAt(beforeDeadline))).toBe(true);
    });

    it('is when implemented at the deadline itself', () => {
      expect(implementedOnTime(implementedAt(deadline))).toBe(true);
    });

    it('is not when implemented after the deadline', () => {
      expect(implementedOnTime(implementedAt(afterDeadline))).toBe(false);
    });

    it.each(['NOT_IMPLEMENTED', 'NO_ACTION'] as const)('is not when the outcome is %s, however early', (outcome) => {
      expect(implementedOnTime(stateAfter([recorded, communicated, outcomeRecorded(outcome)]))).toBe(false);
    });

    it('is not when withdrawn, nor while unsettled', () => {
      expect(implementedOnTime(stateAfter([recorded, communicated, objectedByBankMelli, withdrawn]))).toBe(false);
      expect(implementedOnTime(stateAfter([recorded, communicated, progressReported]))).toBe(false);
    });
  });

  describe('decide is pure', () => {
    it('decides every command the same way twice, in every state, without touching the state', () => {
      const histories: ResolutionEvent[][] = [
        [],
        [recorded],
        [recorded, communicated],
        [recorded, communicated, objectedByBankMelli],
        [recorded, communicated, objectedByBankMelli, objectionRejected],
        [recorded, communicated, objectedByBankMelli, withdrawn],
        [recorded, communicated, progressReported],
        [recorded, communicated, progressReported, outcomeRecorded('IMPLEMENTED')],
      ];
      const commands: ResolutionCommand[] = [
        record,
        { ...record, data: { ...record.data, meetingHeld: false } },
        communicate,
        objectByBankMelli,
        objectBySmt,
        objectLate,
        acceptObjection,
        rejectObjection,
        reportProgress,
        ...RESOLUTION_OUTCOMES.map(recordOutcome),
      ];
      for (const history of histories) {
        for (const command of commands) expectDecideIsPure(resolutionDecider, history, command);
      }
    });
  });
});

const stateAfter = (events: ResolutionEvent[]): Resolution =>
  events.reduce(resolutionDecider.evolve, resolutionDecider.initialState());

// ─── Fixtures: «مقرر شد بانک ملی ظرف ۲۰ روز…», the Pakdasht workgroup's session of 1403/09/14 ───

const resolutionId = 'resolution-1403-09-14-01';
const meetingId = 'meeting-pakdasht-1403-09-14';
const obstacleId = 'obstacle-kia-banking-1403-001';
const kiaUnitId = 'unit-kia-ofogh-paydar';
/** Midnight Tehran time at the end of 1403/10/04, twenty days on. */
const deadline = '2024-12-24T20:30:00.000Z';
const beforeDeadline = '2024-12-18T07:00:00.000Z';
const afterDeadline = '2024-12-28T07:00:00.000Z';
/** 1403/09/15, 09:30 Tehran time: the secretariat's letter (ابلاغ) goes out. */
const communicatedAt = '2024-12-05T06:00:00.000Z';
const objectionDeadline = '2024-12-20T06:00:00.000Z';
const objectedAt = '2024-12-10T06:00:00.000Z';

const record: RecordResolution = {
  type: 'RecordResolution',
  data: {
    meetingId,
    resolutionId,
    text: 'مقرر شد بانک ملی ظرف ۲۰ روز نسبت به امهال اقساط معوق شرکت کیا افق پایدار اقدام کند.',
    leadAgency: 'بانک ملی',
    cooperatingAgencies: ['اداره صمت'],
    deadline,
    obstacleId,
    unitId: kiaUnitId,
    recordedAt: '2024-12-04T07:00:00.000Z',
    meetingHeld: true,
    obstacleExists: true,
  },
};
const { meetingHeld: _held, obstacleExists: _exists, ...recordedData } = record.data;
const recorded: ResolutionRecorded = { type: 'ResolutionRecorded', data: recordedData };

const recordForUnit: RecordResolution = {
  type: 'RecordResolution',
  data: {
    meetingId,
    resolutionId: 'resolution-1403-09-14-02',
    text: 'مقرر شد تامین اجتماعی ظرف ۱۵ روز بدهی بیمه‌ای شرکت ابتکار پلاستیک را تقسیط کند.',
    leadAgency: 'تامین اجتماعی',
    cooperatingAgencies: [],
    deadline: '2024-12-19T20:30:00.000Z',
    obstacleId: null,
    unitId: 'unit-ebtekar-plastic',
    recordedAt: '2024-12-04T07:10:00.000Z',
    meetingHeld: true,
    obstacleExists: false,
  },
};

const communicate: CommunicateResolution = {
  type: 'CommunicateResolution',
  data: { resolutionId, communicatedAt, objectionWindowDays: DEFAULT_OBJECTION_WINDOW_DAYS },
};
const communicated: ResolutionCommunicated = {
  type: 'ResolutionCommunicated',
  data: { resolutionId, communicatedAt, objectionWindowDays: 15, objectionDeadline },
};

const objectByBankMelli: ObjectToResolution = {
  type: 'ObjectToResolution',
  data: {
    resolutionId,
    agency: 'بانک ملی',
    reason: 'امهال بیش از سقف اختیارات شعبه است و به مصوبه هیئت‌مدیره نیاز دارد',
    objectedAt,
  },
};
const objectedByBankMelli: ResolutionObjected = { type: 'ResolutionObjected', data: { ...objectByBankMelli.data } };

const objectBySmt: ObjectToResolution = {
  type: 'ObjectToResolution',
  data: { ...objectByBankMelli.data, agency: 'اداره صمت', reason: 'اداره صمت در این امهال نقشی ندارد' },
};

/** 1403/10/01: a day after the fifteen-day window closed. */
const objectLate: ObjectToResolution = {
  type: 'ObjectToResolution',
  data: { ...objectByBankMelli.data, objectedAt: '2024-12-21T06:00:00.000Z' },
};

const acceptObjection: DecideObjection = {
  type: 'DecideObjection',
  data: { resolutionId, accepted: true, note: 'پرونده به کمیته امهال استان ارجاع می‌شود', decidedAt: '2024-12-11T06:00:00.000Z' },
};
const withdrawn: ResolutionWithdrawn = {
  type: 'ResolutionWithdrawn',
  data: { resolutionId, note: acceptObjection.data.note, decidedAt: acceptObjection.data.decidedAt },
};

const rejectObjection: DecideObjection = {
  type: 'DecideObjection',
  data: { resolutionId, accepted: false, note: 'مصوبه ستاد برای بانک‌ها لازم‌الاجراست', decidedAt: '2024-12-11T06:00:00.000Z' },
};
const objectionRejected: ResolutionObjectionRejected = {
  type: 'ResolutionObjectionRejected',
  data: { resolutionId, note: rejectObjection.data.note, decidedAt: rejectObjection.data.decidedAt },
};

const reportProgress: ReportResolutionProgress = {
  type: 'ReportResolutionProgress',
  data: { resolutionId, note: 'بانک ملی پرونده را به کمیته امهال استان فرستاد', reportedAt: '2024-12-08T07:00:00.000Z' },
};
const progressReported: ResolutionProgressReported = { type: 'ResolutionProgressReported', data: { ...reportProgress.data } };

const OUTCOME_NOTES: Record<ResolutionOutcome, string> = {
  IMPLEMENTED: 'اقساط معوق با تنفس شش‌ماهه امهال شد',
  NOT_IMPLEMENTED: 'بانک ملی امهال را نپذیرفت',
  NO_ACTION: 'بانک ملی تا پایان مهلت اقدامی نکرد',
};
const outcomeAt = '2024-12-18T07:00:00.000Z';

const recordOutcome = (outcome: ResolutionOutcome): RecordResolutionOutcome => ({
  type: 'RecordResolutionOutcome',
  data: { resolutionId, outcome, note: OUTCOME_NOTES[outcome], recordedAt: outcomeAt },
});
const outcomeRecorded = (outcome: ResolutionOutcome): ResolutionOutcomeRecorded => ({
  type: 'ResolutionOutcomeRecorded',
  data: { ...recordOutcome(outcome).data },
});

type ExistingResolution = Exclude<Resolution, { status: 'ABSENT' }>;

const recordedState: ExistingResolution = {
  status: 'RECORDED',
  ...recordedData,
  communicatedAt: null,
  objectionDeadline: null,
  objection: null,
  settledAt: null,
};

const communicatedState: ExistingResolution = {
  ...recordedState,
  status: 'COMMUNICATED',
  communicatedAt,
  objectionDeadline,
};

const objectedState: ExistingResolution = {
  ...communicatedState,
  status: 'OBJECTED',
  objection: { agency: 'بانک ملی', reason: objectByBankMelli.data.reason, objectedAt, accepted: null, decidedAt: null },
};

const settledState = (outcome: ResolutionOutcome): ExistingResolution => ({
  ...communicatedState,
  status: outcome,
  settledAt: outcomeAt,
});

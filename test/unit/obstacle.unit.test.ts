import {
  obstacleDecider,
  type Obstacle,
  type ObstacleCommand,
  type ObstacleEvent,
  type ObstacleProgressRecorded,
  type ObstacleRaised,
  type ObstacleReferred,
  type ObstacleReopened,
  type ObstacleResolved,
  type RaiseObstacle,
  type RecordObstacleProgress,
  type ReferObstacle,
  type ReopenObstacle,
  type ResolveObstacle,
} from '../../src/domain/obstacle';
import { DeciderSpecification, expectDecideIsPure } from './decider-specification';

const given = DeciderSpecification.for(obstacleDecider);

describe('obstacle decider', () => {
  describe('when the obstacle does not exist', () => {
    it('raises it for an existing unit, without the existence flag', () => {
      given([]).when(raise).then([raised]);
    });

    it('rejects raising it for a unit that does not exist with NOT_FOUND', () => {
      given([])
        .when({ ...raise, data: { ...raise.data, unitExists: false } })
        .thenThrows('NOT_FOUND', `unit ${kiaUnitId} does not exist`);
    });

    it.each([
      ['ReferObstacle', () => referToBankMelli],
      ['RecordObstacleProgress', () => recordProgress],
      ['ResolveObstacle', () => resolve],
      ['ReopenObstacle', () => reopen],
    ])('rejects %s with NOT_FOUND', (_type, command) => {
      given([]).when(command()).thenThrows('NOT_FOUND', `obstacle ${obstacleId} does not exist`);
    });

    it('ignores a later event without a raise', () => {
      given([referred, resolved]).thenState({ status: 'ABSENT' });
    });
  });

  describe('when the obstacle is open', () => {
    it('is open, unreferred, never reopened, and does not keep the description', () => {
      given([raised]).thenState(openState);
    });

    it('rejects raising it again with CONFLICT', () => {
      given([raised]).when(raise).thenThrows('CONFLICT', `obstacle ${obstacleId} already exists`);
    });

    it('reports CONFLICT before checking the unit', () => {
      given([raised])
        .when({ ...raise, data: { ...raise.data, unitExists: false } })
        .thenThrows('CONFLICT');
    });

    it('refers it to a lead agency with cooperating agencies and a deadline', () => {
      given([raised]).when(referToBankMelli).then([referred]);
    });

    it('accepts a deadline equal to the referral time', () => {
      const sameInstant = { ...referToBankMelli, data: { ...referToBankMelli.data, deadline: referredAt } };
      given([raised])
        .when(sameInstant)
        .then([{ type: 'ObstacleReferred', data: { ...sameInstant.data } }]);
    });

    it('rejects a deadline before the referral with BAD_USER_INPUT on the deadline field', () => {
      const error = given([raised]).when(referWithPastDeadline).thenThrows('BAD_USER_INPUT', /deadline is before the referral/);
      expect(error.details).toEqual({
        fields: [{ field: 'deadline', messages: ['deadline must not be before the referral time'] }],
      });
    });

    it('compares deadline and referral as instants, whatever their UTC offsets', () => {
      // 12:30 Tehran time is after 11:00 Tehran time, though "09:00Z" sorts before "11:00+03:30".
      given([raised])
        .when({
          ...referToBankMelli,
          data: { ...referToBankMelli.data, referredAt: '2024-11-27T11:00:00+03:30', deadline: '2024-11-27T09:00:00Z' },
        })
        .then([
          {
            type: 'ObstacleReferred',
            data: { ...referToBankMelli.data, referredAt: '2024-11-27T11:00:00+03:30', deadline: '2024-11-27T09:00:00Z' },
          },
        ]);
      // 10:30 Tehran time is 07:00Z, half an hour before the referral, though it sorts after it.
      given([raised])
        .when({
          ...referToBankMelli,
          data: { ...referToBankMelli.data, referredAt: '2024-11-27T07:30:00Z', deadline: '2024-11-27T10:30:00+03:30' },
        })
        .thenThrows('BAD_USER_INPUT');
    });

    it('rejects a deadline that is not an ISO-8601 time with BAD_USER_INPUT', () => {
      given([raised])
        .when({ ...referToBankMelli, data: { ...referToBankMelli.data, deadline: '۱۴۰۳/۰۹/۲۷' } })
        .thenThrows('BAD_USER_INPUT');
    });

    it('rejects progress before any referral with INVALID_TRANSITION', () => {
      given([raised]).when(recordProgress).thenThrows('INVALID_TRANSITION', 'cannot record progress: the obstacle is OPEN');
    });

    it('resolves it directly, e.g. in a workgroup session', () => {
      given([raised]).when(resolve).then([resolved]);
    });

    it('rejects reopening with INVALID_TRANSITION', () => {
      given([raised]).when(reopen).thenThrows('INVALID_TRANSITION', 'cannot reopen: the obstacle is OPEN');
    });
  });

  describe('when the obstacle is referred', () => {
    it('is referred to the lead agency, with the cooperating agencies and the deadline', () => {
      given([raised, referred]).thenState(referredState);
    });

    it('rejects raising it again with CONFLICT', () => {
      given([raised, referred]).when(raise).thenThrows('CONFLICT');
    });

    it('refers it again, to another lead agency', () => {
      given([raised, referred]).when(referToSocialSecurity).then([referredToSocialSecurity]);
    });

    it('holds the latest referral only', () => {
      given([raised, referred, referredToSocialSecurity]).thenState({
        ...referredState,
        leadAgency: 'تامین اجتماعی',
        cooperatingAgencies: ['بانک ملی'],
        deadline: referToSocialSecurity.data.deadline,
      });
    });

    it('rejects a deadline before the referral with BAD_USER_INPUT', () => {
      given([raised, referred]).when(referWithPastDeadline).thenThrows('BAD_USER_INPUT');
    });

    it('records the lead agency’s progress', () => {
      given([raised, referred]).when(recordProgress).then([progressRecorded]);
    });

    it('resolves it', () => {
      given([raised, referred]).when(resolve).then([resolved]);
    });

    it('rejects reopening with INVALID_TRANSITION', () => {
      given([raised, referred]).when(reopen).thenThrows('INVALID_TRANSITION', 'cannot reopen: the obstacle is REFERRED');
    });
  });

  describe('when the obstacle is in progress', () => {
    const history = (): ObstacleEvent[] => [raised, referred, progressRecorded];

    it('is in progress, the referral kept', () => {
      given(history()).thenState({ ...referredState, status: 'IN_PROGRESS' });
    });

    it('rejects raising it again with CONFLICT', () => {
      given(history()).when(raise).thenThrows('CONFLICT');
    });

    it('refers it again, back to referred', () => {
      given(history()).when(referToSocialSecurity).then([referredToSocialSecurity]);
      given(history())
        .when(referToSocialSecurity)
        .thenState(expect.objectContaining({ status: 'REFERRED', leadAgency: 'تامین اجتماعی' }));
    });

    it('rejects a deadline before the referral with BAD_USER_INPUT', () => {
      given(history()).when(referWithPastDeadline).thenThrows('BAD_USER_INPUT');
    });

    it('records more progress and stays in progress', () => {
      const more: RecordObstacleProgress = {
        type: 'RecordObstacleProgress',
        data: { obstacleId, note: 'کمیته امهال استان با تنفس شش‌ماهه موافقت کرد', recordedAt: '2024-12-09T10:00:00.000Z' },
      };
      given(history())
        .when(more)
        .then([{ type: 'ObstacleProgressRecorded', data: { ...more.data } }]);
      given(history()).when(more).thenState({ ...referredState, status: 'IN_PROGRESS' });
    });

    it('resolves it', () => {
      given(history()).when(resolve).then([resolved]);
    });

    it('rejects reopening with INVALID_TRANSITION', () => {
      given(history()).when(reopen).thenThrows('INVALID_TRANSITION', 'cannot reopen: the obstacle is IN_PROGRESS');
    });
  });

  describe('when the obstacle is resolved', () => {
    const history = (): ObstacleEvent[] => [raised, referred, progressRecorded, resolved];

    it('is resolved, with the summary and when', () => {
      given(history()).thenState(resolvedState);
    });

    it('rejects raising it again with CONFLICT', () => {
      given(history()).when(raise).thenThrows('CONFLICT');
    });

    it('rejects a referral with INVALID_TRANSITION', () => {
      given(history()).when(referToSocialSecurity).thenThrows('INVALID_TRANSITION', 'cannot refer: the obstacle is RESOLVED');
    });

    it('reports INVALID_TRANSITION before checking the deadline', () => {
      given(history()).when(referWithPastDeadline).thenThrows('INVALID_TRANSITION');
    });

    it('rejects progress with INVALID_TRANSITION', () => {
      given(history()).when(recordProgress).thenThrows('INVALID_TRANSITION', 'cannot record progress: the obstacle is RESOLVED');
    });

    it('rejects resolving it again with INVALID_TRANSITION', () => {
      const error = given(history()).when(resolve).thenThrows('INVALID_TRANSITION', 'cannot resolve: the obstacle is RESOLVED');
      expect(error.details).toEqual({ status: 'RESOLVED', command: 'resolve' });
    });

    it('reopens it with the reason', () => {
      given(history()).when(reopen).then([reopened]);
    });
  });

  describe('when the obstacle is reopened', () => {
    it('returns a referred obstacle to REFERRED, clearing the resolution', () => {
      given([raised, referred, resolved, reopened]).thenState({ ...referredState, timesReopened: 1 });
    });

    it('returns an obstacle resolved while in progress to REFERRED: the referral still stands', () => {
      given([raised, referred, progressRecorded, resolved, reopened]).thenState({ ...referredState, timesReopened: 1 });
    });

    it('returns a never-referred obstacle to OPEN', () => {
      given([raised, resolved, reopened]).thenState({ ...openState, timesReopened: 1 });
    });

    it('counts every reopening', () => {
      given([raised, referred, resolved, reopened, resolvedAgain, reopenedAgain]).thenState({
        ...referredState,
        timesReopened: 2,
      });
    });

    it('takes progress again when it was referred', () => {
      given([raised, referred, resolved, reopened]).when(recordProgress).then([progressRecorded]);
    });

    it('rejects progress when it was never referred', () => {
      given([raised, resolved, reopened]).when(recordProgress).thenThrows('INVALID_TRANSITION', /obstacle is OPEN/);
    });

    it('rejects reopening it again with INVALID_TRANSITION', () => {
      given([raised, referred, resolved, reopened]).when(reopen).thenThrows('INVALID_TRANSITION', /obstacle is REFERRED/);
    });

    it('resolves it again', () => {
      given([raised, referred, resolved, reopened]).when(resolveAgain).then([resolvedAgain]);
      given([raised, referred, resolved, reopened])
        .when(resolveAgain)
        .thenState({
          ...resolvedState,
          resolvedAt: resolvedAgain.data.resolvedAt,
          resolutionSummary: resolvedAgain.data.resolutionSummary,
          timesReopened: 1,
        });
    });
  });

  describe('decide is pure', () => {
    it('decides every command the same way twice, in every state, without touching the state', () => {
      const histories: ObstacleEvent[][] = [
        [],
        [raised],
        [raised, referred],
        [raised, referred, progressRecorded],
        [raised, referred, progressRecorded, resolved],
        [raised, referred, resolved, reopened],
      ];
      const commands: ObstacleCommand[] = [raise, referToBankMelli, referWithPastDeadline, recordProgress, resolve, reopen];
      for (const history of histories) {
        for (const command of commands) expectDecideIsPure(obstacleDecider, history, command);
      }
    });
  });
});

// ─── Fixtures: کیا افق پایدار's overdue bank instalments, before the Pakdasht workgroup ───

const obstacleId = 'obstacle-kia-banking-1403-001';
const kiaUnitId = 'unit-kia-ofogh-paydar';
/** 1403/09/07, the Wednesday session at سرعت خانه ساز's premises. */
const referredAt = '2024-11-27T07:30:00.000Z';

const raise: RaiseObstacle = {
  type: 'RaiseObstacle',
  data: {
    obstacleId,
    unitId: kiaUnitId,
    province: 'تهران',
    county: 'پاکدشت',
    title: 'امهال اقساط معوق تسهیلات سرمایه در گردش',
    description:
      'واحد به دلیل کمبود نقدینگی با کمتر از ۵۰ درصد ظرفیت کار می‌کند و بانک ملی شعبه شهرک صنعتی خوارزمی تقاضای امهال را نپذیرفته است.',
    category: 'BANKING',
    priority: 'HIGH',
    raisedAt: '2024-11-24T07:00:00.000Z',
    unitExists: true,
  },
};

const { unitExists: _unitExists, ...raisedData } = raise.data;
const raised: ObstacleRaised = { type: 'ObstacleRaised', data: raisedData };

const referToBankMelli: ReferObstacle = {
  type: 'ReferObstacle',
  data: {
    obstacleId,
    leadAgency: 'بانک ملی',
    cooperatingAgencies: ['اداره صمت', 'تامین اجتماعی'],
    // «ظرف ۲۰ روز»: midnight Tehran time, twenty days on.
    deadline: '2024-12-17T20:30:00.000Z',
    referredAt,
  },
};
const referred: ObstacleReferred = { type: 'ObstacleReferred', data: { ...referToBankMelli.data } };

const referWithPastDeadline: ReferObstacle = {
  type: 'ReferObstacle',
  data: { ...referToBankMelli.data, deadline: '2024-11-26T20:30:00.000Z' },
};

const referToSocialSecurity: ReferObstacle = {
  type: 'ReferObstacle',
  data: {
    obstacleId,
    leadAgency: 'تامین اجتماعی',
    cooperatingAgencies: ['بانک ملی'],
    deadline: '2024-12-24T20:30:00.000Z',
    referredAt: '2024-12-04T08:00:00.000Z',
  },
};
const referredToSocialSecurity: ObstacleReferred = { type: 'ObstacleReferred', data: { ...referToSocialSecurity.data } };

const recordProgress: RecordObstacleProgress = {
  type: 'RecordObstacleProgress',
  data: { obstacleId, note: 'بانک ملی پرونده را به کمیته امهال استان فرستاد', recordedAt: '2024-12-04T09:00:00.000Z' },
};
const progressRecorded: ObstacleProgressRecorded = { type: 'ObstacleProgressRecorded', data: { ...recordProgress.data } };

const resolve: ResolveObstacle = {
  type: 'ResolveObstacle',
  data: { obstacleId, resolutionSummary: 'اقساط معوق با تنفس شش‌ماهه امهال شد', resolvedAt: '2024-12-11T07:00:00.000Z' },
};
const resolved: ObstacleResolved = { type: 'ObstacleResolved', data: { ...resolve.data } };

const reopen: ReopenObstacle = {
  type: 'ReopenObstacle',
  data: { obstacleId, reason: 'مصوبه امهال اجرا نشد و حساب واحد مسدود ماند', reopenedAt: '2024-12-25T07:00:00.000Z' },
};
const reopened: ObstacleReopened = { type: 'ObstacleReopened', data: { ...reopen.data } };

const resolveAgain: ResolveObstacle = {
  type: 'ResolveObstacle',
  data: { obstacleId, resolutionSummary: 'حساب واحد رفع مسدودی شد', resolvedAt: '2025-01-08T07:00:00.000Z' },
};
const resolvedAgain: ObstacleResolved = { type: 'ObstacleResolved', data: { ...resolveAgain.data } };

const reopenedAgain: ObstacleReopened = {
  type: 'ObstacleReopened',
  data: { obstacleId, reason: 'بدهی تامین اجتماعی مانع تمدید تسهیلات شد', reopenedAt: '2025-02-05T07:00:00.000Z' },
};

type ExistingObstacle = Exclude<Obstacle, { status: 'ABSENT' }>;

const openState: ExistingObstacle = {
  status: 'OPEN',
  obstacleId,
  unitId: kiaUnitId,
  province: 'تهران',
  county: 'پاکدشت',
  title: raise.data.title,
  category: 'BANKING',
  priority: 'HIGH',
  leadAgency: null,
  cooperatingAgencies: [],
  deadline: null,
  raisedAt: raise.data.raisedAt,
  resolvedAt: null,
  resolutionSummary: null,
  timesReopened: 0,
};

const referredState: ExistingObstacle = {
  ...openState,
  status: 'REFERRED',
  leadAgency: 'بانک ملی',
  cooperatingAgencies: ['اداره صمت', 'تامین اجتماعی'],
  deadline: referToBankMelli.data.deadline,
};

const resolvedState: ExistingObstacle = {
  ...referredState,
  status: 'RESOLVED',
  resolvedAt: resolve.data.resolvedAt,
  resolutionSummary: resolve.data.resolutionSummary,
};

import {
  obstacleDecider,
  type EscalateObstacle,
  type LinkResolution,
  type Obstacle,
  type ObstacleCommand,
  type ObstacleEscalated,
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
  type ResolutionLinked,
  type ResolveObstacle,
} from '../../src/domain/obstacle';
import { DeciderSpecification, expectDecideIsPure } from './decider-specification';

const given = DeciderSpecification.for(obstacleDecider);

describe('obstacle decider', () => {
  describe('when the obstacle does not exist', () => {
    it('raises it for an existing unit, without the existence flags', () => {
      given([]).when(raise).then([raised]);
    });

    it('rejects raising it for a unit that does not exist with NOT_FOUND', () => {
      given([])
        .when({ ...raise, data: { ...raise.data, unitExists: false } })
        .thenThrows('NOT_FOUND', `unit ${kiaUnitId} does not exist`);
    });

    it('raises it for a whole zone: Chahardangeh’s telecom', () => {
      given([]).when(raiseForChahardangeh).then([raisedForChahardangeh]);
    });

    it('rejects raising it for a zone that does not exist with NOT_FOUND', () => {
      given([])
        .when({ ...raiseForChahardangeh, data: { ...raiseForChahardangeh.data, zoneExists: false } })
        .thenThrows('NOT_FOUND', `zone ${chahardangehZoneId} does not exist`);
    });

    it.each([
      ['both a unit and a zone', () => ({ unitId: kiaUnitId, zoneId: chahardangehZoneId })],
      ['neither a unit nor a zone', () => ({ unitId: null, zoneId: null })],
    ])('rejects raising it for %s with BAD_USER_INPUT on both fields', (_case, subject) => {
      const error = given([])
        .when({ ...raise, data: { ...raise.data, ...subject(), unitExists: true, zoneExists: true } })
        .thenThrows('BAD_USER_INPUT', 'an obstacle is raised for a unit or for a zone: name exactly one');
      expect(error.details).toEqual({
        fields: [
          { field: 'unitId', messages: ['give exactly one of unitId and zoneId'] },
          { field: 'zoneId', messages: ['give exactly one of unitId and zoneId'] },
        ],
      });
    });

    it.each([
      ['ReferObstacle', () => referToBankMelli],
      ['RecordObstacleProgress', () => recordProgress],
      ['ResolveObstacle', () => resolve],
      ['ReopenObstacle', () => reopen],
      ['LinkResolution', () => linkRescheduling],
      ['EscalateObstacle', () => escalateToProvince],
    ])('rejects %s with NOT_FOUND', (_type, command) => {
      given([]).when(command()).thenThrows('NOT_FOUND', `obstacle ${obstacleId} does not exist`);
    });

    it('ignores a later event without a raise', () => {
      given([referred, resolved]).thenState({ status: 'ABSENT' });
    });
  });

  describe('when the obstacle is open', () => {
    it('is open, unreferred, never reopened, with the county, and keeps neither the description nor the source', () => {
      given([raised]).thenState(openState);
    });

    it('is with the workgroup whose meeting raised it', () => {
      given([{ ...raised, data: { ...raised.data, workgroupId: 'workgroup-pakdasht' } }]).thenState({ ...openState, workgroupId: 'workgroup-pakdasht' });
    });

    it('is a zone’s when raised for a zone', () => {
      given([raisedForChahardangeh]).thenState({
        ...openState,
        obstacleId: chahardangehObstacleId,
        unitId: null,
        zoneId: chahardangehZoneId,
        county: 'اسلامشهر',
        title: raiseForChahardangeh.data.title,
        category: 'TELECOM',
        priority: 'NORMAL',
        raisedAt: raiseForChahardangeh.data.raisedAt,
      });
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

    it('resolves it directly, e.g. in a workgroup session, without the fact', () => {
      given([raised]).when(resolve).then([resolved]);
    });

    it('links a resolution recorded on it', () => {
      given([raised]).when(linkRescheduling).then([reschedulingLinked]);
    });

    it('escalates it from the county to the province workgroup', () => {
      given([raised]).when(escalateToProvince).then([escalatedToProvince]);
    });

    it('rejects escalating it straight to the national HQ with INVALID_TRANSITION', () => {
      const error = given([raised])
        .when(escalateToNational)
        .thenThrows('INVALID_TRANSITION', 'cannot escalate to NATIONAL: it is at COUNTY and moves up one level at a time');
      expect(error.details).toEqual({ status: 'OPEN', command: 'escalate to NATIONAL', level: 'COUNTY' });
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

    it('escalates it, the referral kept', () => {
      given([raised, referred])
        .when(escalateToProvince)
        .thenState({ ...referredState, level: 'PROVINCE', workgroupId: tehranWorkgroupId });
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

  describe('when the obstacle has resolutions', () => {
    const history = (): ObstacleEvent[] => [raised, referred, reschedulingLinked, instalmentsLinked];

    it('holds them in the order they were linked', () => {
      given(history()).thenState({ ...referredState, resolutionIds: [reschedulingId, instalmentsId] });
    });

    it('records nothing when a resolution is linked again: a retry', () => {
      given(history()).when(linkRescheduling).thenNothingHappened();
    });

    it('rejects resolving it while a resolution is unsettled with INVALID_TRANSITION naming it', () => {
      const error = given(history())
        .when({ ...resolve, data: { ...resolve.data, unsettledResolutionIds: [instalmentsId] } })
        .thenThrows('INVALID_TRANSITION', `cannot resolve: resolution(s) ${instalmentsId} of the obstacle are not settled yet`);
      expect(error.details).toEqual({ status: 'REFERRED', command: 'resolve', unsettledResolutionIds: [instalmentsId] });
    });

    it('names every unsettled resolution', () => {
      given(history())
        .when({ ...resolve, data: { ...resolve.data, unsettledResolutionIds: [reschedulingId, instalmentsId] } })
        .thenThrows('INVALID_TRANSITION', `resolution(s) ${reschedulingId}, ${instalmentsId} of the obstacle are not settled yet`);
    });

    it('resolves it once every resolution is settled', () => {
      given(history()).when(resolve).then([resolved]);
    });

    it('reports a resolved obstacle as resolved before looking at its resolutions', () => {
      given([...history(), resolved])
        .when({ ...resolve, data: { ...resolve.data, unsettledResolutionIds: [instalmentsId] } })
        .thenThrows('INVALID_TRANSITION', 'cannot resolve: the obstacle is RESOLVED');
    });
  });

  describe('when the obstacle is escalated', () => {
    it('is with the province workgroup', () => {
      given([raised, escalatedToProvince]).thenState({ ...openState, level: 'PROVINCE', workgroupId: tehranWorkgroupId });
    });

    it('rejects escalating it to the province twice with INVALID_TRANSITION', () => {
      const error = given([raised, escalatedToProvince])
        .when(escalateToProvince)
        .thenThrows('INVALID_TRANSITION', 'cannot escalate to PROVINCE: it is already at PROVINCE');
      expect(error.details).toEqual({ status: 'OPEN', command: 'escalate to PROVINCE', level: 'PROVINCE' });
    });

    it('escalates it on from the province to the national HQ', () => {
      given([raised, escalatedToProvince]).when(escalateToNational).then([escalatedToNational]);
    });

    it('is with the national HQ', () => {
      given([raised, escalatedToProvince, escalatedToNational]).thenState({
        ...openState,
        level: 'NATIONAL',
        workgroupId: nationalHqId,
      });
    });

    it.each([
      ['the national HQ again', () => escalateToNational, 'NATIONAL'],
      ['down to the province', () => escalateToProvince, 'PROVINCE'],
    ])('rejects escalating a national case to %s with INVALID_TRANSITION', (_case, command, level) => {
      given([raised, escalatedToProvince, escalatedToNational])
        .when(command())
        .thenThrows('INVALID_TRANSITION', `cannot escalate to ${level}: it is already at NATIONAL`);
    });

    it('is referred, progressed and resolved where it now is', () => {
      given([raised, escalatedToProvince]).when(referToBankMelli).then([referred]);
      given([raised, escalatedToProvince, referred, progressRecorded]).when(resolve).then([resolved]);
    });

    it('stays at its level when resolved and reopened', () => {
      given([raised, escalatedToProvince, resolved, reopened]).thenState({
        ...openState,
        level: 'PROVINCE',
        workgroupId: tehranWorkgroupId,
        timesReopened: 1,
      });
    });
  });

  describe('when the obstacle is resolved', () => {
    const history = (): ObstacleEvent[] => [raised, referred, progressRecorded, resolved];

    it('rejects escalating it with INVALID_TRANSITION', () => {
      given(history())
        .when(escalateToProvince)
        .thenThrows('INVALID_TRANSITION', 'cannot escalate to PROVINCE: the obstacle is RESOLVED');
    });

    it('rejects linking a new resolution with INVALID_TRANSITION: reopen it first', () => {
      given(history()).when(linkRescheduling).thenThrows('INVALID_TRANSITION', 'cannot link a resolution: the obstacle is RESOLVED');
    });

    it('records nothing for a resolution linked before it was resolved: a retry', () => {
      given([raised, reschedulingLinked, resolved]).when(linkRescheduling).thenNothingHappened();
    });

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
        [raised, reschedulingLinked, escalatedToProvince],
        [raised, escalatedToProvince, escalatedToNational],
      ];
      const commands: ObstacleCommand[] = [
        raise,
        raiseForChahardangeh,
        referToBankMelli,
        referWithPastDeadline,
        recordProgress,
        resolve,
        { ...resolve, data: { ...resolve.data, unsettledResolutionIds: [reschedulingId] } },
        reopen,
        linkRescheduling,
        escalateToProvince,
        escalateToNational,
      ];
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
    zoneId: null,
    province: 'تهران',
    county: 'پاکدشت',
    title: 'امهال اقساط معوق تسهیلات سرمایه در گردش',
    description:
      'واحد به دلیل کمبود نقدینگی با کمتر از ۵۰ درصد ظرفیت کار می‌کند و بانک ملی شعبه شهرک صنعتی خوارزمی تقاضای امهال را نپذیرفته است.',
    category: 'BANKING',
    priority: 'HIGH',
    source: { kind: 'MEETING', id: 'meeting-pakdasht-1403-09-07' },
    raisedAt: '2024-11-24T07:00:00.000Z',
    unitExists: true,
    // Not read: the obstacle names no zone.
    zoneExists: false,
  },
};

const { unitExists: _unitExists, zoneExists: _zoneExists, ...raisedData } = raise.data;
const raised: ObstacleRaised = { type: 'ObstacleRaised', data: raisedData };

/** «چهاردانگه», Islamshahr: telecom and paving for the whole area, raised from the economic deputy's visit. */
const chahardangehZoneId = 'zone-chahardangeh-cluster';
const chahardangehObstacleId = 'obstacle-chahardangeh-telecom-1403-001';
const raiseForChahardangeh: RaiseObstacle = {
  type: 'RaiseObstacle',
  data: {
    obstacleId: chahardangehObstacleId,
    unitId: null,
    zoneId: chahardangehZoneId,
    province: 'تهران',
    county: 'اسلامشهر',
    title: 'آنتن‌دهی مخابرات منطقه چهاردانگه و خیابان پدر',
    description: 'تولیدکنندگان کفش اسلامشهر از نبود آنتن‌دهی تلفن همراه در خیابان پدر و منطقه چهاردانگه گله دارند.',
    category: 'TELECOM',
    priority: 'NORMAL',
    source: { kind: 'VISIT', id: 'visit-islamshahr-asgari-1403' },
    raisedAt: '2024-11-24T09:00:00.000Z',
    unitExists: false,
    zoneExists: true,
  },
};
const { unitExists: _u, zoneExists: _z, ...raisedForChahardangehData } = raiseForChahardangeh.data;
const raisedForChahardangeh: ObstacleRaised = { type: 'ObstacleRaised', data: raisedForChahardangehData };

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
  data: {
    obstacleId,
    resolutionSummary: 'اقساط معوق با تنفس شش‌ماهه امهال شد',
    resolvedAt: '2024-12-11T07:00:00.000Z',
    unsettledResolutionIds: [],
  },
};
const { unsettledResolutionIds: _none, ...resolvedData } = resolve.data;
const resolved: ObstacleResolved = { type: 'ObstacleResolved', data: resolvedData };

const reopen: ReopenObstacle = {
  type: 'ReopenObstacle',
  data: { obstacleId, reason: 'مصوبه امهال اجرا نشد و حساب واحد مسدود ماند', reopenedAt: '2024-12-25T07:00:00.000Z' },
};
const reopened: ObstacleReopened = { type: 'ObstacleReopened', data: { ...reopen.data } };

const resolveAgain: ResolveObstacle = {
  type: 'ResolveObstacle',
  data: {
    obstacleId,
    resolutionSummary: 'حساب واحد رفع مسدودی شد',
    resolvedAt: '2025-01-08T07:00:00.000Z',
    unsettledResolutionIds: [],
  },
};
const resolvedAgain: ObstacleResolved = {
  type: 'ObstacleResolved',
  data: { obstacleId, resolutionSummary: resolveAgain.data.resolutionSummary, resolvedAt: resolveAgain.data.resolvedAt },
};

const reopenedAgain: ObstacleReopened = {
  type: 'ObstacleReopened',
  data: { obstacleId, reason: 'بدهی تامین اجتماعی مانع تمدید تسهیلات شد', reopenedAt: '2025-02-05T07:00:00.000Z' },
};

/** Resolutions of the Pakdasht workgroup's session on 1403/09/14. */
const reschedulingId = 'resolution-1403-09-14-01';
const instalmentsId = 'resolution-1403-09-14-03';

const linkRescheduling: LinkResolution = {
  type: 'LinkResolution',
  data: { obstacleId, resolutionId: reschedulingId, linkedAt: '2024-12-04T07:00:00.000Z' },
};
const reschedulingLinked: ResolutionLinked = { type: 'ResolutionLinked', data: { ...linkRescheduling.data } };
const instalmentsLinked: ResolutionLinked = {
  type: 'ResolutionLinked',
  data: { obstacleId, resolutionId: instalmentsId, linkedAt: '2024-12-04T07:20:00.000Z' },
};

const tehranWorkgroupId = 'workgroup-tehran-province';
const nationalHqId = 'workgroup-national-hq';

const escalateToProvince: EscalateObstacle = {
  type: 'EscalateObstacle',
  data: {
    obstacleId,
    toLevel: 'PROVINCE',
    toWorkgroupId: tehranWorkgroupId,
    reason: 'امهال بیش از اختیارات شعبه شهرستان است و به کمیته امهال استان نیاز دارد',
    escalatedAt: '2024-12-18T07:00:00.000Z',
  },
};
const escalatedToProvince: ObstacleEscalated = {
  type: 'ObstacleEscalated',
  data: { ...escalateToProvince.data, fromLevel: 'COUNTY' },
};

const escalateToNational: EscalateObstacle = {
  type: 'EscalateObstacle',
  data: {
    obstacleId,
    toLevel: 'NATIONAL',
    toWorkgroupId: nationalHqId,
    reason: 'نیاز به مصوبه ستاد ملی برای استمهال بدهی‌های بانکی',
    escalatedAt: '2025-01-15T07:00:00.000Z',
  },
};
const escalatedToNational: ObstacleEscalated = {
  type: 'ObstacleEscalated',
  data: { ...escalateToNational.data, fromLevel: 'PROVINCE' },
};

type ExistingObstacle = Exclude<Obstacle, { status: 'ABSENT' }>;

const openState: ExistingObstacle = {
  status: 'OPEN',
  obstacleId,
  unitId: kiaUnitId,
  zoneId: null,
  province: 'تهران',
  county: 'پاکدشت',
  title: raise.data.title,
  category: 'BANKING',
  priority: 'HIGH',
  leadAgency: null,
  leadAgencyId: null,
  cooperatingAgencies: [],
  deadline: null,
  raisedAt: raise.data.raisedAt,
  resolvedAt: null,
  resolutionSummary: null,
  timesReopened: 0,
  level: 'COUNTY',
  workgroupId: null,
  resolutionIds: [],
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

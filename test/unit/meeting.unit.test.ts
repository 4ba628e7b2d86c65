import {
  canRecordResolutions,
  meetingDecider,
  type AddAgendaItem,
  type AgendaItemAdded,
  type CancelMeeting,
  type Meeting,
  type MeetingCancelled,
  type MeetingCommand,
  type MeetingEvent,
  type MeetingHeld,
  type MeetingPostponed,
  type MeetingScheduled,
  type PostponeMeeting,
  type RecordMeetingHeld,
  type ScheduleMeeting,
} from '../../src/domain/meeting';
import { DeciderSpecification, expectDecideIsPure } from './decider-specification';

const given = DeciderSpecification.for(meetingDecider);

describe('meeting decider', () => {
  describe('when the meeting does not exist', () => {
    it('schedules it', () => {
      given([]).when(schedule).then([scheduled]);
    });

    it.each([
      ['AddAgendaItem', () => addKiaToAgenda],
      ['RecordMeetingHeld', () => hold],
      ['PostponeMeeting', () => postpone],
      ['CancelMeeting', () => cancel],
    ])('rejects %s with NOT_FOUND', (_type, command) => {
      given([]).when(command()).thenThrows('NOT_FOUND', `meeting ${meetingId} does not exist`);
    });

    it('ignores a later event without a schedule', () => {
      given([kiaOnAgenda, held]).thenState({ status: 'ABSENT' });
    });

    it('takes no resolutions', () => {
      expect(canRecordResolutions({ status: 'ABSENT' })).toBe(false);
    });
  });

  describe('when the meeting is scheduled', () => {
    it('is scheduled, with its body, its session number and an empty agenda', () => {
      given([scheduled]).thenState(scheduledState);
    });

    it('schedules an ad-hoc session of no registered body, without a number', () => {
      const adHoc: ScheduleMeeting = { ...schedule, data: { ...schedule.data, workgroupId: null, sequenceNumber: null } };
      given([])
        .when(adHoc)
        .then([{ type: 'MeetingScheduled', data: { ...adHoc.data } }]);
    });

    it('schedules a session of a body whose number is not reserved yet', () => {
      const unnumbered: ScheduleMeeting = { ...schedule, data: { ...schedule.data, sequenceNumber: null } };
      given([])
        .when(unnumbered)
        .then([{ type: 'MeetingScheduled', data: { ...unnumbered.data } }]);
    });

    it('rejects a session number without a body with BAD_USER_INPUT on sequenceNumber', () => {
      const error = given([])
        .when({ ...schedule, data: { ...schedule.data, workgroupId: null } })
        .thenThrows('BAD_USER_INPUT', /needs the workgroup/);
      expect(error.details).toEqual({
        fields: [{ field: 'sequenceNumber', messages: ['a session number needs the workgroup whose sequence it belongs to'] }],
      });
    });

    it.each([0, -3, 2.5, Number.NaN])('rejects session number %s with BAD_USER_INPUT', (sequenceNumber) => {
      given([])
        .when({ ...schedule, data: { ...schedule.data, sequenceNumber } })
        .thenThrows('BAD_USER_INPUT', /whole number from 1/);
    });

    it('takes no resolutions before it is held', () => {
      expect(canRecordResolutions(scheduledState)).toBe(false);
    });

    it('rejects scheduling it again with CONFLICT', () => {
      given([scheduled]).when(schedule).thenThrows('CONFLICT', `meeting ${meetingId} already exists`);
    });

    it('puts a unit on the agenda', () => {
      given([scheduled]).when(addKiaToAgenda).then([kiaOnAgenda]);
    });

    it('puts an obstacle on the agenda, with the unit it was raised for', () => {
      given([scheduled]).when(addObstacleToAgenda).then([obstacleOnAgenda]);
    });

    it('keeps the agenda in order', () => {
      given([scheduled, kiaOnAgenda, obstacleOnAgenda]).thenState({
        ...scheduledState,
        agenda: [
          { kind: 'UNIT', subjectId: kiaUnitId },
          { kind: 'OBSTACLE', subjectId: obstacleId },
        ],
      });
    });

    it('rejects a unit that does not exist with NOT_FOUND', () => {
      given([scheduled])
        .when({ ...addKiaToAgenda, data: { ...addKiaToAgenda.data, subjectId: missingId, unitId: null, subjectExists: false } })
        .thenThrows('NOT_FOUND', `unit ${missingId} does not exist`);
    });

    it("puts a zone's case on the agenda, with its zone and no unit", () => {
      const zoneCase = { ...addObstacleToAgenda.data, subjectId: 'obstacle-chahardangeh-telecom', unitId: null, zoneId: 'zone-chahardangeh' };
      given([scheduled])
        .when({ ...addObstacleToAgenda, data: zoneCase })
        .then([{ ...obstacleOnAgenda, data: { meetingId, kind: 'OBSTACLE', subjectId: 'obstacle-chahardangeh-telecom', unitId: null, zoneId: 'zone-chahardangeh', note: null } }]);
    });

    it('rejects an obstacle that does not exist with NOT_FOUND', () => {
      given([scheduled])
        .when({ ...addObstacleToAgenda, data: { ...addObstacleToAgenda.data, subjectId: missingId, unitId: null, subjectExists: false } })
        .thenThrows('NOT_FOUND', `obstacle ${missingId} does not exist`);
    });

    it('rejects a unit already on the agenda with CONFLICT', () => {
      const error = given([scheduled, kiaOnAgenda])
        .when(addKiaToAgenda)
        .thenThrows('CONFLICT', `unit ${kiaUnitId} is already on the agenda`);
      expect(error.details).toEqual({ subjectId: kiaUnitId });
    });

    it('rejects an obstacle already on the agenda with CONFLICT', () => {
      given([scheduled, obstacleOnAgenda])
        .when(addObstacleToAgenda)
        .thenThrows('CONFLICT', `obstacle ${obstacleId} is already on the agenda`);
    });

    it('records it as held, with attendees and minutes', () => {
      given([scheduled]).when(hold).then([held]);
    });

    it('postpones it to a later time, recording the time it was moved from', () => {
      given([scheduled]).when(postpone).then([postponed]);
    });

    it('rejects postponing it to the same time with BAD_USER_INPUT on the `to` field', () => {
      const error = given([scheduled])
        .when({ ...postpone, data: { ...postpone.data, to: scheduledAt } })
        .thenThrows('BAD_USER_INPUT', /only be postponed to a later time/);
      expect(error.details).toEqual({
        fields: [{ field: 'to', messages: [`must be after the scheduled time ${scheduledAt}`] }],
      });
    });

    it('rejects postponing it to an earlier time with BAD_USER_INPUT', () => {
      given([scheduled])
        .when({ ...postpone, data: { ...postpone.data, to: '2024-11-27T05:30:00.000Z' } })
        .thenThrows('BAD_USER_INPUT');
    });

    it('compares times as instants, whatever their UTC offsets', () => {
      // 09:00 Tehran time is the scheduled instant itself, though "09:00+03:30" sorts after "05:30Z".
      given([scheduled])
        .when({ ...postpone, data: { ...postpone.data, to: '2024-12-04T09:00:00+03:30' } })
        .thenThrows('BAD_USER_INPUT');
      // 08:30 Tehran time is half an hour earlier.
      given([scheduled])
        .when({ ...postpone, data: { ...postpone.data, to: '2024-12-04T08:30:00+03:30' } })
        .thenThrows('BAD_USER_INPUT');
      // 07:00Z is 10:30 Tehran time, an hour and a half later, though "07:00Z" sorts before "09:00+03:30".
      const scheduledInTehranTime: MeetingScheduled = {
        type: 'MeetingScheduled',
        data: { ...schedule.data, scheduledAt: '2024-12-04T09:00:00+03:30' },
      };
      given([scheduledInTehranTime])
        .when({ ...postpone, data: { ...postpone.data, to: '2024-12-04T07:00:00Z' } })
        .then([
          {
            type: 'MeetingPostponed',
            data: { ...postponed.data, from: '2024-12-04T09:00:00+03:30', to: '2024-12-04T07:00:00Z' },
          },
        ]);
    });

    it('rejects a time that is not ISO-8601 with BAD_USER_INPUT', () => {
      given([scheduled])
        .when({ ...postpone, data: { ...postpone.data, to: '۱۴۰۳/۰۹/۲۱ ساعت ۹' } })
        .thenThrows('BAD_USER_INPUT');
    });

    it('cancels it', () => {
      given([scheduled]).when(cancel).then([cancelled]);
    });
  });

  describe('when the meeting is postponed', () => {
    const history = (): MeetingEvent[] => [scheduled, kiaOnAgenda, postponed];

    it('is postponed to the new time, its agenda kept', () => {
      given(history()).thenState({
        ...scheduledState,
        status: 'POSTPONED',
        scheduledAt: postpone.data.to,
        agenda: [{ kind: 'UNIT', subjectId: kiaUnitId }],
      });
    });

    it('rejects scheduling it again with CONFLICT', () => {
      given(history()).when(schedule).thenThrows('CONFLICT');
    });

    it('still takes agenda items', () => {
      given(history()).when(addObstacleToAgenda).then([obstacleOnAgenda]);
    });

    it('still rejects a duplicate agenda item with CONFLICT', () => {
      given(history()).when(addKiaToAgenda).thenThrows('CONFLICT');
    });

    it('still rejects a missing subject with NOT_FOUND', () => {
      given(history())
        .when({ ...addObstacleToAgenda, data: { ...addObstacleToAgenda.data, subjectId: missingId, unitId: null, subjectExists: false } })
        .thenThrows('NOT_FOUND');
    });

    it('records it as held', () => {
      given(history()).when(hold).then([held]);
    });

    it('takes no resolutions', () => {
      expect(canRecordResolutions(evolveAll(history()))).toBe(false);
    });

    it('postpones it again, from the time it was last moved to', () => {
      given(history()).when(postponeAgain).then([postponedAgain]);
      given(history())
        .when(postponeAgain)
        .thenState(expect.objectContaining({ status: 'POSTPONED', scheduledAt: postponeAgain.data.to }));
    });

    it('rejects postponing it to a time before the new one with BAD_USER_INPUT, even if after the original', () => {
      given(history())
        .when({ ...postponeAgain, data: { ...postponeAgain.data, to: '2024-12-08T05:30:00.000Z' } })
        .thenThrows('BAD_USER_INPUT', /later time/);
    });

    it('cancels it', () => {
      given(history()).when(cancel).then([cancelled]);
    });
  });

  describe('when the meeting is held', () => {
    const history = (): MeetingEvent[] => [scheduled, kiaOnAgenda, obstacleOnAgenda, held];

    it('is held', () => {
      given(history()).thenState({
        ...scheduledState,
        status: 'HELD',
        agenda: [
          { kind: 'UNIT', subjectId: kiaUnitId },
          { kind: 'OBSTACLE', subjectId: obstacleId },
        ],
      });
    });

    it('rejects scheduling it again with CONFLICT', () => {
      given(history()).when(schedule).thenThrows('CONFLICT');
    });

    it('rejects an agenda item with INVALID_TRANSITION: the minutes are written', () => {
      given(history())
        .when(addSoratToAgenda)
        .thenThrows('INVALID_TRANSITION', 'cannot add an agenda item: the meeting is HELD');
    });

    it('reports INVALID_TRANSITION on an agenda item before checking its subject', () => {
      given(history())
        .when({ ...addSoratToAgenda, data: { ...addSoratToAgenda.data, unitId: null } })
        .thenThrows('INVALID_TRANSITION');
    });

    it('rejects recording it as held again with INVALID_TRANSITION', () => {
      given(history()).when(hold).thenThrows('INVALID_TRANSITION', 'cannot record it as held: the meeting is HELD');
    });

    it('takes resolutions: they are decisions of a session that took place', () => {
      expect(canRecordResolutions(evolveAll(history()))).toBe(true);
    });

    it('rejects postponing it with INVALID_TRANSITION', () => {
      given(history()).when(postpone).thenThrows('INVALID_TRANSITION', 'cannot postpone: the meeting is HELD');
    });

    it('rejects cancelling it with INVALID_TRANSITION', () => {
      given(history()).when(cancel).thenThrows('INVALID_TRANSITION', 'cannot cancel: the meeting is HELD');
    });
  });

  describe('when the meeting is cancelled', () => {
    const history = (): MeetingEvent[] => [scheduled, kiaOnAgenda, cancelled];

    it('is cancelled, its agenda kept for the record', () => {
      given(history()).thenState({
        ...scheduledState,
        status: 'CANCELLED',
        agenda: [{ kind: 'UNIT', subjectId: kiaUnitId }],
      });
    });

    it('rejects scheduling it again with CONFLICT', () => {
      given(history()).when(schedule).thenThrows('CONFLICT');
    });

    it('takes no resolutions', () => {
      expect(canRecordResolutions(evolveAll(history()))).toBe(false);
    });

    it.each([
      ['AddAgendaItem', () => addSoratToAgenda, 'add an agenda item'],
      ['RecordMeetingHeld', () => hold, 'record it as held'],
      ['PostponeMeeting', () => postpone, 'postpone'],
      ['CancelMeeting', () => cancel, 'cancel'],
    ])('rejects %s with INVALID_TRANSITION', (_type, command, verb) => {
      const error = given(history()).when(command()).thenThrows('INVALID_TRANSITION', `cannot ${verb}: the meeting is CANCELLED`);
      expect(error.details).toEqual({ status: 'CANCELLED', command: verb });
    });
  });

  describe('decide is pure', () => {
    it('decides every command the same way twice, in every state, without touching the state', () => {
      const histories: MeetingEvent[][] = [
        [],
        [scheduled],
        [scheduled, kiaOnAgenda],
        [scheduled, kiaOnAgenda, postponed],
        [scheduled, kiaOnAgenda, held],
        [scheduled, cancelled],
      ];
      const commands: MeetingCommand[] = [
        schedule,
        { ...schedule, data: { ...schedule.data, workgroupId: null } },
        addKiaToAgenda,
        addObstacleToAgenda,
        hold,
        postpone,
        cancel,
      ];
      for (const history of histories) {
        for (const command of commands) expectDecideIsPure(meetingDecider, history, command);
      }
    });
  });
});

const evolveAll = (events: MeetingEvent[]): Meeting => events.reduce(meetingDecider.evolve, meetingDecider.initialState());

// ─── Fixtures: the Pakdasht county workgroup's Wednesday session at the Kharazmi industrial park ───

const meetingId = 'meeting-pakdasht-1403-09-14';
const pakdashtWorkgroupId = 'workgroup-pakdasht';
const kiaUnitId = 'unit-kia-ofogh-paydar';
const obstacleId = 'obstacle-kia-banking-1403-001';
const missingId = 'unit-or-obstacle-never-registered';
/** Wednesday 1403/09/14, 09:00 Tehran time. */
const scheduledAt = '2024-12-04T05:30:00.000Z';

const schedule: ScheduleMeeting = {
  type: 'ScheduleMeeting',
  data: {
    meetingId,
    workgroupId: pakdashtWorkgroupId,
    sequenceNumber: 37,
    province: 'تهران',
    county: 'پاکدشت',
    title: 'جلسه کارگروه ستاد تسهیل و رفع موانع تولید شهرستان پاکدشت',
    scheduledAt,
    venue: 'محل شرکت سرعت خانه ساز، شهرک صنعتی خوارزمی',
    chair: 'مهدی یوسفی جمارانی، فرماندار پاکدشت',
  },
};
const scheduled: MeetingScheduled = { type: 'MeetingScheduled', data: { ...schedule.data } };

const scheduledState: Exclude<Meeting, { status: 'ABSENT' }> = {
  status: 'SCHEDULED',
  meetingId,
  workgroupId: pakdashtWorkgroupId,
  sequenceNumber: 37,
  province: 'تهران',
  county: 'پاکدشت',
  scheduledAt,
  agenda: [],
};

const addKiaToAgenda: AddAgendaItem = {
  type: 'AddAgendaItem',
  data: { meetingId, kind: 'UNIT', subjectId: kiaUnitId, unitId: kiaUnitId, note: 'بررسی وضعیت واحد نیمه‌فعال', subjectExists: true },
};
const kiaOnAgenda: AgendaItemAdded = {
  type: 'AgendaItemAdded',
  data: { meetingId, kind: 'UNIT', subjectId: kiaUnitId, unitId: kiaUnitId, note: 'بررسی وضعیت واحد نیمه‌فعال' },
};

const addObstacleToAgenda: AddAgendaItem = {
  type: 'AddAgendaItem',
  data: { meetingId, kind: 'OBSTACLE', subjectId: obstacleId, unitId: kiaUnitId, note: null, subjectExists: true },
};
const obstacleOnAgenda: AgendaItemAdded = {
  type: 'AgendaItemAdded',
  data: { meetingId, kind: 'OBSTACLE', subjectId: obstacleId, unitId: kiaUnitId, note: null },
};

const addSoratToAgenda: AddAgendaItem = {
  type: 'AddAgendaItem',
  data: { meetingId, kind: 'UNIT', subjectId: 'unit-sorat-khaneh-saz', unitId: 'unit-sorat-khaneh-saz', note: null, subjectExists: true },
};

const hold: RecordMeetingHeld = {
  type: 'RecordMeetingHeld',
  data: {
    meetingId,
    heldAt: '2024-12-04T05:45:00.000Z',
    attendees: [
      { name: 'مهدی یوسفی جمارانی', agency: 'فرمانداری پاکدشت', role: 'فرماندار، رئیس کارگروه' },
      { name: 'علی‌محمدی', agency: 'فرمانداری پاکدشت', role: 'معاون برنامه‌ریزی و امور عمرانی' },
      { name: 'رئیس اداره صمت پاکدشت', agency: 'اداره صمت', role: null },
      { name: 'رئیس شعبه تامین اجتماعی پاکدشت', agency: 'تامین اجتماعی', role: null },
      { name: 'مدیرعامل شهرک صنعتی خوارزمی', agency: 'شرکت شهرک‌های صنعتی استان تهران', role: null },
    ],
    minutes: 'مشکلات چهار واحد کیا افق پایدار، سرعت خانه ساز، ابتکار پلاستیک و ماداکام شرق بررسی شد.',
  },
};
const held: MeetingHeld = { type: 'MeetingHeld', data: { ...hold.data } };

const postpone: PostponeMeeting = {
  type: 'PostponeMeeting',
  data: {
    meetingId,
    to: '2024-12-11T05:30:00.000Z',
    reason: 'هم‌زمانی با سفر معاون اقتصادی استاندار به شهرستان',
    postponedAt: '2024-12-02T08:00:00.000Z',
  },
};
const postponed: MeetingPostponed = {
  type: 'MeetingPostponed',
  data: { meetingId, from: scheduledAt, to: postpone.data.to, reason: postpone.data.reason, postponedAt: postpone.data.postponedAt },
};

const postponeAgain: PostponeMeeting = {
  type: 'PostponeMeeting',
  data: {
    meetingId,
    to: '2024-12-18T05:30:00.000Z',
    reason: 'عدم حضور نماینده بانک ملی',
    postponedAt: '2024-12-09T08:00:00.000Z',
  },
};
const postponedAgain: MeetingPostponed = {
  type: 'MeetingPostponed',
  data: {
    meetingId,
    from: postpone.data.to,
    to: postponeAgain.data.to,
    reason: postponeAgain.data.reason,
    postponedAt: postponeAgain.data.postponedAt,
  },
};

const cancel: CancelMeeting = {
  type: 'CancelMeeting',
  data: { meetingId, reason: 'پرونده‌ها به کارگروه استان ارجاع شد', cancelledAt: '2024-12-03T10:00:00.000Z' },
};
const cancelled: MeetingCancelled = { type: 'MeetingCancelled', data: { ...cancel.data } };

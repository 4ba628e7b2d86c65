/** Dates as Iranian users write and read them: Solar Hijri, Tehran time, Persian digits. */
import { startTestApp, type TestApp } from '../support/app';
import { RAISE_OBSTACLE, REFER_OBSTACLE, REGISTER_UNIT, SCHEDULE_MEETING, kharazmiUnit, pakdashtMeeting } from './operations';

let t: TestApp;
let obstacleId: string;
beforeAll(async () => {
  t = await startTestApp();
  const unitId = (await t.ok(REGISTER_UNIT, { input: kharazmiUnit() })).registerUnit.unit.id;
  obstacleId = (await t.ok(RAISE_OBSTACLE, { input: { unitId, title: 'امهال وام', category: 'BANKING' } })).raiseObstacle.obstacle.id;
});
afterAll(async () => {
  await t.close();
});

test.each([
  ['1409/01/15', '2030-04-03T20:30:00.000Z'],
  ['۱۴۰۹/۰۱/۱۵', '2030-04-03T20:30:00.000Z'],
  ['1409/01/15 10:30', '2030-04-04T07:00:00.000Z'],
  ['2030-04-04T07:00:00Z', '2030-04-04T07:00:00.000Z'],
])('a date written %s is stored as %s', async (written, iso) => {
  const { referObstacle } = await t.ok(REFER_OBSTACLE, { input: { obstacleId, leadAgency: 'بانک ملی', deadline: written } });
  expect(referObstacle.obstacle.deadline).toBe(iso);
});

test('every date field reads in the Solar Hijri calendar too, with Persian digits on request', async () => {
  await t.ok(REFER_OBSTACLE, { input: { obstacleId, leadAgency: 'بانک ملی', deadline: '1409/01/15 10:30' } });
  const { obstacle } = await t.ok(
    `query ($id: ID!) { obstacle(id: $id) { deadline deadlineJalali latin: deadlineJalali(withTime: true) persian: deadlineJalali(persianDigits: true, withTime: true) resolvedAtJalali } }`,
    { id: obstacleId },
  );
  expect(obstacle).toEqual({
    deadline: '2030-04-04T07:00:00.000Z',
    deadlineJalali: '1409/01/15',
    latin: '1409/01/15 10:30',
    persian: '۱۴۰۹/۰۱/۱۵ ۱۰:۳۰',
    resolvedAtJalali: null,
  });
  const { meetings } = await t.ok(`{ meetings { edges { node { scheduledAtJalali } } } }`);
  expect(meetings.edges).toEqual([]);
  const { scheduleMeeting } = await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting({ scheduledAt: '۱۴۰۳/۰۹/۰۷ ۱۰:۰۰' }) });
  expect(scheduleMeeting.meeting.scheduledAt).toBe('2024-11-27T06:30:00.000Z');
});

test.each(['1403/13/40', '1404/12/30', '۱۴۰۳/۱۲/۳۲', 'next wednesday', '1403/09/12 25:00'])('%s is BAD_USER_INPUT and records nothing', async (written) => {
  const before = await t.app.store.headPosition();
  const { errors } = await t.exec(REFER_OBSTACLE, { input: { obstacleId, leadAgency: 'بانک ملی', deadline: written } });
  expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(await t.app.store.headPosition()).toBe(before);
});

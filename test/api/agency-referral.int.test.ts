/** Obstacles and resolutions name their lead agency by its id in the registry; the registered name is recorded beside it. */
import { startTestApp, type TestApp } from '../support/app';
import {
  DEACTIVATE_AGENCY,
  RAISE_OBSTACLE,
  RECORD_HELD,
  RECORD_RESOLUTION,
  REFER_OBSTACLE,
  REGISTER_AGENCY,
  REGISTER_UNIT,
  SCHEDULE_MEETING,
  kharazmiUnit,
  pakdashtAgency,
  pakdashtMeeting,
} from './operations';

let t: TestApp;
let bankId: string;
let obstacleId: string;
beforeAll(async () => {
  t = await startTestApp();
  bankId = (await t.ok(REGISTER_AGENCY, { input: pakdashtAgency({ name: 'بانک ملی', kind: 'BANK', county: null }) })).registerAgency.agency.id;
  const unitId = (await t.ok(REGISTER_UNIT, { input: kharazmiUnit() })).registerUnit.unit.id;
  obstacleId = (await t.ok(RAISE_OBSTACLE, { input: { unitId, title: 'امهال وام', category: 'BANKING' } })).raiseObstacle.obstacle.id;
});
afterAll(async () => {
  await t.close();
});

const refer = (input: Record<string, unknown>) => t.exec(REFER_OBSTACLE, { input: { obstacleId, deadline: '2031-01-01T00:00:00Z', ...input } });

test('referred by id: the obstacle carries the id and the registered name, and lists filter on the id', async () => {
  const { data, errors } = await refer({ leadAgencyId: bankId });
  expect(errors).toBeUndefined();
  expect(data.referObstacle.obstacle).toMatchObject({ leadAgency: 'بانک ملی', status: 'REFERRED' });
  const { obstacles } = await t.ok(`query ($id: ID) { obstacles(leadAgencyId: $id) { totalCount edges { node { id leadAgencyId } } } }`, { id: bankId });
  expect(obstacles).toEqual({ totalCount: 1, edges: [{ node: { id: obstacleId, leadAgencyId: bankId } }] });
});

test.each([
  ['an unknown agency', () => ({ leadAgencyId: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND'],
  ['no agency at all', () => ({}), 'BAD_USER_INPUT'],
  ['a name that is not the registered one', () => ({ leadAgencyId: bankId, leadAgency: 'بانک صادرات' }), 'BAD_USER_INPUT'],
])('%s is refused and records nothing', async (_case, input, code) => {
  const before = await t.app.store.headPosition();
  expect((await refer(input())).errors?.[0]?.extensions?.code).toBe(code);
  expect(await t.app.store.headPosition()).toBe(before);
});

test('a resolution binds a registered agency by id; a deactivated agency can no longer be referred to', async () => {
  const meetingId = (await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting() })).scheduleMeeting.meeting.id;
  await t.ok(RECORD_HELD, { input: { meetingId, attendees: [{ name: 'نماینده بانک', agency: 'بانک ملی' }], minutes: 'صورتجلسه' } });
  const { recordResolution } = await t.ok(RECORD_RESOLUTION, {
    input: { meetingId, text: 'مقرر شد بانک ملی امهال کند', leadAgencyId: bankId, deadline: '2031-01-01T00:00:00Z', obstacleId },
  });
  const { meeting } = await t.ok(`query ($id: ID!) { meeting(id: $id) { resolutions { id leadAgency leadAgencyId } } }`, { id: meetingId });
  expect(meeting.resolutions).toEqual([{ id: recordResolution.resolution.id, leadAgency: 'بانک ملی', leadAgencyId: bankId }]);

  await t.ok(DEACTIVATE_AGENCY, { input: { agencyId: bankId, reason: 'ادغام' } });
  expect((await refer({ leadAgencyId: bankId })).errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
});

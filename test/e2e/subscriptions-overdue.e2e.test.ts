/**
 * "A resolution became overdue" comes from the clock, not from an event: the
 * app's clock is moved here, and the deadline scan (every 20 ms in this test)
 * announces each resolution once, when its deadline passes unsettled.
 */
import { COMMUNICATE_RESOLUTION, pakdashtMeeting, RECORD_HELD, RECORD_RESOLUTION, RECORD_RESOLUTION_OUTCOME, SCHEDULE_MEETING } from '../api/operations';
import { eventually, startLiveServer, subscribe, type LiveServer } from '../support/live';

const OVERDUE = `subscription Overdue($county: String) {
  resolutionBecameOverdue(county: $county) { id text leadAgency deadline status overdue }
}`;
const DAY = 24 * 3600 * 1000;

let clock = new Date('2026-01-10T08:00:00Z');
const at = (days: number, hours = 0) => new Date(Date.parse('2026-01-10T08:00:00Z') + days * DAY + hours * 3600 * 1000);
let s: LiveServer;
beforeAll(async () => {
  s = await startLiveServer({ env: { TASHIL_OVERDUE_SCAN_MS: '20' }, now: () => clock });
});
afterAll(async () => {
  await s.close();
});

const heldMeetingIn = async (county: string) => {
  const meetingId = (await s.ok(SCHEDULE_MEETING, { input: pakdashtMeeting({ county, scheduledAt: clock.toISOString() }) })).scheduleMeeting.meeting.id;
  await s.ok(RECORD_HELD, { input: { meetingId, attendees: [{ name: 'فرماندار', agency: 'فرمانداری' }], minutes: 'صورتجلسه' } });
  return meetingId as string;
};
const resolution = async (meetingId: string, text: string, deadline: Date) =>
  (await s.ok(RECORD_RESOLUTION, { input: { meetingId, text, leadAgency: 'بانک ملی', deadline: deadline.toISOString() } })).recordResolution.resolution
    .id as string;

test('each unsettled resolution is announced once, when its deadline passes, for the county asked', async () => {
  const pakdasht = await heldMeetingIn('پاکدشت');
  const islamshahr = await heldMeetingIn('اسلامشهر');
  const first = await resolution(pakdasht, 'تمدید مهلت بیمه', at(1));
  const second = await resolution(pakdasht, 'اتصال برق', at(3));
  await resolution(islamshahr, 'آسفالت خیابان', at(1));
  const settled = await resolution(pakdasht, 'صدور پروانه', at(5));
  await s.ok(COMMUNICATE_RESOLUTION, { input: { resolutionId: settled } });
  await s.ok(RECORD_RESOLUTION_OUTCOME, { input: { resolutionId: settled, outcome: 'IMPLEMENTED', note: 'پروانه صادر شد' } });

  const updates = subscribe(s.client({ role: 'VIEWER' }), OVERDUE, { county: 'پاکدشت' });
  await eventually(() => s.t.app.live.listenerCount === 1, 'subscribed');

  clock = at(2);
  const announced = (await updates.nth(1)).data!.resolutionBecameOverdue;
  expect(announced).toMatchObject({ id: first, text: 'تمدید مهلت بیمه', overdue: true });
  // A query at that moment agrees.
  const { resolutions } = await s.ok(`{ resolutions(county: "پاکدشت", overdue: true) { edges { node { id } } } }`);
  expect(resolutions.edges.map((e: any) => e.node.id)).toEqual([first]);

  // Later looks announce what became overdue since, never the first again; the settled one never.
  clock = at(6);
  expect((await updates.nth(2)).data!.resolutionBecameOverdue).toMatchObject({ id: second, overdue: true });
  const last = await resolution(pakdasht, 'تامین سرمایه در گردش', at(6, 1));
  clock = at(7);
  expect((await updates.nth(3)).data!.resolutionBecameOverdue.id).toBe(last);
  expect(updates.results.map((r) => r.data!.resolutionBecameOverdue.id)).toEqual([first, second, last]);
  updates.unsubscribe();
});

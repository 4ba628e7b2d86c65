/**
 * "A resolution became overdue" comes from the clock, not from an event: the
 * app's clock is moved here, and the deadline scan (every 20 ms in this test)
 * announces each resolution once, when its deadline passes unsettled.
 */
import { COMMUNICATE_RESOLUTION, pakdashtMeeting, RECORD_HELD, RECORD_RESOLUTION, RECORD_RESOLUTION_OUTCOME, SCHEDULE_MEETING } from '../api/operations';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/app';
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

test('a deadline that passes while the server is down is announced by the first look after it starts again, and only once', async () => {
  const dataDir = tempDir();
  let now = at(30);
  const before = await startLiveServer({ dataDir, env: { TASHIL_OVERDUE_SCAN_MS: '20' }, now: () => now });
  const meetingId = (await before.ok(SCHEDULE_MEETING, { input: pakdashtMeeting({ scheduledAt: now.toISOString() }) })).scheduleMeeting.meeting.id;
  await before.ok(RECORD_HELD, { input: { meetingId, attendees: [{ name: 'فرماندار', agency: 'فرمانداری' }], minutes: 'صورتجلسه' } });
  const due = (await before.ok(RECORD_RESOLUTION, { input: { meetingId, text: 'تمدید مهلت بیمه', leadAgency: 'بانک ملی', deadline: at(31).toISOString() } }))
    .recordResolution.resolution.id;
  now = at(30, 1);
  const recorded = join(dataDir, 'live-updates.json');
  await eventually(() => existsSync(recorded) && JSON.parse(readFileSync(recorded, 'utf8')).overdueScannedUntil === at(30, 1).toISOString(), 'a scan recorded');
  await before.close();

  // Down while the deadline passes; the first look after the restart (5 s here, time for clients to reconnect) announces it.
  now = at(32);
  const after = await startLiveServer({ dataDir, env: { TASHIL_OVERDUE_SCAN_MS: '5000' }, now: () => now });
  try {
    const updates = subscribe(after.client({ role: 'VIEWER' }), OVERDUE, { county: 'پاکدشت' });
    await eventually(() => after.t.app.live.listenerCount === 1, 'subscribed after the restart');
    expect((await updates.nth(1)).data!.resolutionBecameOverdue).toMatchObject({ id: due, overdue: true });
    await after.close();

    // A second restart announces nothing again.
    now = at(33);
    const again = await startLiveServer({ dataDir, env: { TASHIL_OVERDUE_SCAN_MS: '200' }, now: () => now });
    const quiet = subscribe(again.client({ role: 'VIEWER' }), OVERDUE, { county: 'پاکدشت' });
    await eventually(() => again.t.app.live.listenerCount === 1, 'subscribed after the second restart');
    now = at(34);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(quiet.results).toEqual([]);
    await again.close();
  } finally {
    await after.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);

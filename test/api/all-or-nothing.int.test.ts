/**
 * "A record faithful to what happened": exactly once, all or nothing. Over
 * real HTTP. An idempotency key is one command with one payload; a command
 * writing several streams is decided whole before its one append, so a
 * refusal leaves nothing in any stream.
 */
import { RAISE_OBSTACLE, RECORD_HELD, RECORD_RESOLUTION, REGISTER_UNIT, SCHEDULE_MEETING, kharazmiUnit, pakdashtMeeting } from './operations';
import { join } from 'node:path';
import { systemPrincipal } from '../../src/auth/principal';
import { FacilitationCommands } from '../../src/commands/facilitation';
import { FollowUpCommands } from '../../src/commands/follow-up';
import type { CommandContext } from '../../src/commands/handler';
import { RegistryCommands } from '../../src/commands/registry';
import type { EventStore, StreamAppend } from '../../src/eventstore/event-store';
import { createSqliteEventStore, type SqliteEventStore } from '../../src/eventstore/sqlite';
import { tempDir } from '../support/app';
import { startLiveServer, type LiveServer } from '../support/live';

let s: LiveServer;
beforeAll(async () => {
  s = await startLiveServer();
});
afterAll(async () => {
  await s.close();
});

const head = () => s.t.app.store.headPosition();

test('an idempotency key reused with another payload is IDEMPOTENCY_KEY_REUSED, and reserves nothing for it', async () => {
  const first = await s.ok(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: '10870000001', idempotencyKey: 'register-ebtekar' }) });
  const before = await head();
  const reused = await s.gql(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: '10870000002', idempotencyKey: 'register-ebtekar' }) });
  expect(reused.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  expect(await head()).toBe(before);
  expect(await s.t.app.store.readStream('unit_national_id-10870000002')).toEqual([]);
  // The second national ID is still free: registering it with a key of its own works.
  const second = await s.ok(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: '10870000002', idempotencyKey: 'register-second' }) });
  expect(second.registerUnit.unit.id).not.toBe(first.registerUnit.unit.id);
});

test('the same key with the same payload replays the first answer and appends nothing', async () => {
  const input = kharazmiUnit({ nationalId: '10870000003', idempotencyKey: 'register-once' });
  const first = await s.ok(REGISTER_UNIT, { input });
  const before = await head();
  const again = await s.ok(REGISTER_UNIT, { input });
  expect(again.registerUnit).toMatchObject({ replayed: true, commandId: first.registerUnit.commandId, unit: { id: first.registerUnit.unit.id } });
  expect(await head()).toBe(before);
});

test("a resolution its decider refuses leaves no link on the case's stream", async () => {
  const unitId = (await s.ok(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: '10870000004' }) })).registerUnit.unit.id;
  const obstacleId = (await s.ok(RAISE_OBSTACLE, { input: { unitId, title: 'امهال وام', category: 'BANKING' } })).raiseObstacle.obstacle.id;
  const meetingId = (await s.ok(SCHEDULE_MEETING, { input: pakdashtMeeting() })).scheduleMeeting.meeting.id;
  await s.ok(RECORD_HELD, { input: { meetingId, attendees: [{ name: 'فرماندار', agency: 'فرمانداری' }], minutes: 'صورتجلسه' } });
  const before = await head();
  // A deadline before the meeting recorded it: the resolution is refused, after its link to the case was decided.
  const refused = await s.gql(RECORD_RESOLUTION, { input: { meetingId, text: 'مقرر شد', leadAgency: 'بانک ملی', deadline: '2001-01-01T00:00:00Z', obstacleId } });
  expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(await head()).toBe(before);
  expect((await s.t.app.store.readStream(`obstacle-${obstacleId}`)).map((e) => e.type)).toEqual(['ObstacleRaised']);
});

/**
 * Every command that writes several streams, with its last part refused by
 * the real SQLite transaction (another writer got to that stream first, every
 * time the command is tried): the earlier parts are rolled back with it.
 */
describe('a multi-stream command whose last part fails leaves nothing in any stream', () => {
  const PAKDASHT = { province: 'تهران', county: 'پاکدشت' };
  let sqlite: SqliteEventStore;
  /** The stream category whose part is made to fail; null: none. */
  let failing: string | null = null;
  let commands: FacilitationCommands;
  let registry: RegistryCommands;
  let followUp: FollowUpCommands;
  const ctx = (): CommandContext => ({ principal: systemPrincipal('test'), now: new Date() });

  beforeAll(() => {
    sqlite = createSqliteEventStore({ path: join(tempDir(), 'events.sqlite'), synchronous: 'NORMAL' });
    // The store the commands use: its multi-stream append has the failing category's part expect a revision that never holds.
    const store: EventStore = Object.create(sqlite, {
      appendToStreams: {
        value: (appends: readonly StreamAppend[]) =>
          sqlite.appendToStreams(appends.map((a, i) => (i === appends.length - 1 && failing !== null && a.streamName.startsWith(`${failing}-`) ? { ...a, expectedRevision: 999n } : a))),
      },
    }) as EventStore;
    commands = new FacilitationCommands(store);
    registry = new RegistryCommands(store);
    followUp = new FollowUpCommands(store);
  });
  afterAll(async () => {
    await sqlite.close();
  });

  const nothingAppended = async (run: () => Promise<unknown>, category: string) => {
    const before = await sqlite.headPosition();
    failing = category;
    try {
      await expect(run()).rejects.toMatchObject({ code: 'CONFLICT' });
    } finally {
      failing = null;
    }
    expect(await sqlite.headPosition()).toBe(before);
  };

  test('registerUnit: no national ID is reserved', async () => {
    await nothingAppended(() => commands.registerUnit({ ...PAKDASHT, name: 'کفش ملی', nationalId: '10870000101', sector: 'کفش', activityStatus: 'ACTIVE' }, ctx()), 'unit');
  });

  test('scheduleMeeting: no session number is used up', async () => {
    const { id: workgroupId } = await registry.registerWorkgroup({ level: 'COUNTY', ...PAKDASHT, name: 'کارگروه پاکدشت' }, ctx());
    const meeting = { ...PAKDASHT, workgroupId, title: 'جلسه', scheduledAt: new Date('2030-01-01T07:00:00Z'), venue: 'فرمانداری', chair: 'فرماندار' };
    await nothingAppended(() => commands.scheduleMeeting(meeting, ctx()), 'meeting');
    // The body's next meeting still gets number 1.
    const { id } = await commands.scheduleMeeting(meeting, ctx());
    expect((await sqlite.readStream(`meeting-${id}`))[0]!.data.sequenceNumber).toBe(1);
  });

  test("recordResolution: the case holds no link", async () => {
    const { id: unitId } = await commands.registerUnit({ ...PAKDASHT, name: 'ابتکار', nationalId: '10870000102', sector: 'پلاستیک', activityStatus: 'ACTIVE' }, ctx());
    const { id: obstacleId } = await commands.raiseObstacle({ unitId, title: 'امهال وام', description: '', category: 'BANKING', priority: 'NORMAL' }, ctx());
    const { id: meetingId } = await commands.scheduleMeeting({ ...PAKDASHT, title: 'جلسه', scheduledAt: new Date('2020-01-01T07:00:00Z'), venue: 'فرمانداری', chair: 'فرماندار' }, ctx());
    await commands.recordMeetingHeld({ meetingId, attendees: [{ name: 'فرماندار', agency: 'فرمانداری', role: null }], minutes: 'صورتجلسه' }, ctx());
    const resolution = { meetingId, text: 'مقرر شد', leadAgency: 'بانک ملی', cooperatingAgencies: [], deadline: new Date('2031-01-01T00:00:00Z'), obstacleId };
    await nothingAppended(() => commands.recordResolution(resolution, ctx()), 'resolution');
    expect((await sqlite.readStream(`obstacle-${obstacleId}`)).map((e) => e.type)).toEqual(['ObstacleRaised']);
  });

  test('recordResolutionOutcome: the last resolution settled and its case closed are one append, so neither is left alone', async () => {
    const { id: unitId } = await commands.registerUnit({ ...PAKDASHT, name: 'پارس', nationalId: '10870000103', sector: 'غذایی', activityStatus: 'ACTIVE' }, ctx());
    const { id: obstacleId } = await commands.raiseObstacle({ unitId, title: 'بدهی بیمه', description: '', category: 'SOCIAL_SECURITY', priority: 'NORMAL' }, ctx());
    const { id: meetingId } = await commands.scheduleMeeting({ ...PAKDASHT, title: 'جلسه', scheduledAt: new Date('2020-01-01T07:00:00Z'), venue: 'فرمانداری', chair: 'فرماندار' }, ctx());
    await commands.recordMeetingHeld({ meetingId, attendees: [{ name: 'فرماندار', agency: 'فرمانداری', role: null }], minutes: 'صورتجلسه' }, ctx());
    const { id: resolutionId } = await commands.recordResolution(
      { meetingId, text: 'مقرر شد', leadAgency: 'بانک ملی', cooperatingAgencies: [], deadline: new Date('2031-01-01T00:00:00Z'), obstacleId },
      ctx(),
    );
    await followUp.communicateResolution({ resolutionId }, ctx());
    const settle = () => followUp.recordResolutionOutcome({ resolutionId, outcome: 'IMPLEMENTED', note: 'انجام شد' }, ctx());
    await nothingAppended(settle, 'obstacle');
    // Without the failure, one command settles it and closes the case.
    const settled = await settle();
    expect(settled.closedObstacle).not.toBeNull();
    expect((await sqlite.readStream(`obstacle-${obstacleId}`)).map((e) => e.type).pop()).toBe('ObstacleResolved');
  });
});

/**
 * A realistic history for the benchmarks: production units registered across
 * Tehran province, their status changes, the obstacles raised for them and
 * followed up, and the meetings that put them on the agenda. Every event is
 * decided by the domain's own deciders (so its shape is exactly what the
 * product records), carries the metadata and hash chain the command handler
 * gives it, and is appended through the SQLite adapter.
 *
 * Deterministic for a given size, so a generated store can be cached on disk
 * and reused by the next run (see `cachedStore`).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chainEvents } from '../../src/audit/hash-chain';
import { uuidV5 } from '../../src/commands/ids';
import type { Decider, DomainEvent } from '../../src/domain/decider';
import { meetingDecider, type MeetingCommand } from '../../src/domain/meeting';
import { obstacleDecider, OBSTACLE_CATEGORIES, type ObstacleCommand } from '../../src/domain/obstacle';
import { nationalIdReservationDecider, unitDecider, type ActivityStatus, type UnitCommand } from '../../src/domain/unit';
import { UPCASTERS } from '../../src/domain/upcasters';
import type { EventMetadata, NewEvent } from '../../src/eventstore/event-store';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import { currentSchemaVersion } from '../../src/eventstore/upcasting';

/** Bump when the generated history changes, so cached stores of the old shape are not reused. */
export const GENERATOR_VERSION = 1;

// ─── Persian vocabulary (names and places as in docs/seeds/, combined) ──────

const COUNTIES = ['پاکدشت', 'اسلامشهر', 'ورامین', 'شهریار', 'ری', 'رباط‌کریم', 'قرچک', 'ملارد', 'دماوند', 'فیروزکوه'];
const LOCATIONS = ['شهرک صنعتی خوارزمی', 'شهرک صنعتی عباس‌آباد', 'شهرک صنعتی شمس‌آباد', 'ناحیه صنعتی قلعه میر', 'خوشه صنعتی کفش اسلامشهر', 'شهرک صنعتی نصیرآباد'];
const SECTORS = ['پلاستیک', 'کفش و چرم', 'مصالح ساختمانی', 'صنایع غذایی', 'فلزی و قطعات', 'نساجی', 'شیمیایی', 'مبلمان', 'بسته‌بندی'];
const NAME_HEADS = ['صنایع', 'تولیدی', 'کارخانه', 'شرکت', 'گروه صنعتی', 'کارگاه'];
const NAME_BODIES = ['ابتکار', 'سرعت خانه ساز', 'پارس', 'البرز', 'نوین', 'آریا', 'سپهر', 'مهرگان', 'دماوند', 'خوارزمی', 'کیان', 'بهسازان'];
const STATUS_REASONS = [
  'کمبود سرمایه در گردش و توقف خرید مواد اولیه',
  'قطعی برق در ساعات اوج مصرف تابستان',
  'از سرگیری تولید پس از امهال تسهیلات بانکی',
  'کاهش سفارش و تعدیل بخشی از نیروی کار',
  'تأمین مواد اولیه با ارز نیمایی و بازگشت به ظرفیت',
];
const OBSTACLE_TITLES = [
  'تأخیر در پرداخت تسهیلات سرمایه در گردش',
  'بدهی معوق به سازمان تأمین اجتماعی و توقیف حساب',
  'عدم صدور پروانه بهره‌برداری',
  'قطعی مکرر برق و گاز در زمستان',
  'ترخیص مواد اولیه از گمرک',
  'اختلاف بر سر مالیات بر ارزش افزوده سال‌های گذشته',
  'نبود زیرساخت آب و فاضلاب در خوشه صنعتی',
  'تمدید مجوز زیست‌محیطی',
];
const AGENCIES = ['بانک ملی', 'بانک صادرات', 'اداره بیمه و تامین اجتماعی', 'اداره کار و رفاه اجتماعی', 'شرکت شهرک‌های صنعتی', 'اداره برق', 'اداره گاز', 'اداره امور مالیاتی', 'گمرک', 'شهرداری'];
const PEOPLE = ['مهدی یوسفی جمارانی', 'علی رضایی', 'فاطمه احمدی', 'حسین کریمی', 'زهرا موسوی', 'محمد حسینی'];
const NOTES = ['نامه به بانک عامل ارسال شد', 'جلسه با مدیر اداره برگزار شد', 'پرونده در کمیته امهال مطرح شد', 'کارشناس از واحد بازدید کرد', 'پاسخ کتبی دستگاه دریافت شد'];

const pick = <T>(list: readonly T[], i: number): T => list[((i % list.length) + list.length) % list.length]!;

// ─── Deciding events through the domain ─────────────────────────────────────

const START = Date.UTC(2021, 2, 21, 5, 30); // نوروز ۱۴۰۰
const HOUR = 3_600_000;

interface Appender {
  (stream: string, events: NewEvent[]): void;
}

/** One aggregate's commands, decided in order on the state its own events evolve. */
function decideAll<C extends { type: string }, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  id: string,
  commands: { command: C; at: number; actor: string }[],
  append: Appender,
): void {
  const stream = `${decider.category}-${id}`;
  let state = decider.initialState();
  const events: NewEvent[] = [];
  for (const [n, { command, at, actor }] of commands.entries()) {
    const decided = decider.decide(command, state);
    const commandId = uuidV5(`${stream}\n${n}`);
    const metadata: EventMetadata = {
      actor,
      command: command.type,
      commandId,
      correlationId: commandId,
      causationId: commandId,
      occurredAt: new Date(at).toISOString(),
    };
    for (const [index, event] of decided.entries()) {
      state = decider.evolve(state, event);
      events.push({
        id: uuidV5(`${commandId}\n${stream}\n${index}`),
        type: event.type,
        schemaVersion: currentSchemaVersion(UPCASTERS, event.type),
        data: event.data as Record<string, unknown>,
        metadata,
      });
    }
  }
  append(stream, chainEvents(stream, 0n, null, events));
}

/** Events of one unit's life (about 14 on average), in causal order across its streams. */
function unitLife(u: number, append: Appender, onUnit: (unitId: string, county: string) => void): void {
  const unitId = uuidV5(`bench-unit-${u}`);
  const county = pick(COUNTIES, u);
  const nationalId = String(10_100_000_000 + u);
  const at = START + u * 2 * HOUR;
  const actor = `dabir-${county}`;
  const status: ActivityStatus = pick(['ACTIVE', 'SEMI_ACTIVE', 'INACTIVE'] as const, u);
  decideAll(
    nationalIdReservationDecider,
    nationalId,
    [{ command: { type: 'ReserveNationalId', data: { nationalId, unitId, reservedUnitExists: false } }, at, actor }],
    append,
  );
  const unitCommands: { command: UnitCommand; at: number; actor: string }[] = [
    {
      command: {
        type: 'RegisterUnit',
        data: {
          unitId,
          name: `${pick(NAME_HEADS, u)} ${pick(NAME_BODIES, u * 7 + 3)} ${u}`,
          nationalId,
          sector: pick(SECTORS, u * 3),
          province: 'تهران',
          county,
          location: pick(LOCATIONS, u * 5),
          zoneId: null,
          isicCode: String(1000 + (u % 9000)),
          headCount: 5 + (u % 240),
          capacityUtilisation: (u * 13) % 100,
          activityStatus: status,
          registeredAt: new Date(at).toISOString(),
          zoneExists: false,
        },
      },
      at,
      actor,
    },
  ];
  let current = status;
  for (let s = 1; s <= 2; s++) {
    const next: ActivityStatus = current === 'ACTIVE' ? 'SEMI_ACTIVE' : 'ACTIVE';
    const changedAt = at + s * 24 * HOUR;
    unitCommands.push({
      command: { type: 'ChangeUnitActivityStatus', data: { unitId, status: next, reason: pick(STATUS_REASONS, u + s), changedAt: new Date(changedAt).toISOString() } },
      at: changedAt,
      actor,
    });
    current = next;
  }
  decideAll(unitDecider, unitId, unitCommands, append);
  onUnit(unitId, county);

  for (let o = 0; o < 2; o++) {
    const obstacleId = uuidV5(`bench-obstacle-${u}-${o}`);
    const raisedAt = at + (3 + o) * 24 * HOUR;
    const iso = (offsetDays: number): string => new Date(raisedAt + offsetDays * 24 * HOUR).toISOString();
    const commands: { command: ObstacleCommand; at: number; actor: string }[] = [
      {
        command: {
          type: 'RaiseObstacle',
          data: {
            obstacleId, unitId, zoneId: null, province: 'تهران', county,
            title: pick(OBSTACLE_TITLES, u + o),
            description: `${pick(OBSTACLE_TITLES, u + o)}؛ واحد ${u} در ${county} گزارش داده است.`,
            category: pick(OBSTACLE_CATEGORIES, u * 2 + o), priority: pick(['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const, u + o),
            source: null, raisedAt: iso(0), unitExists: true, zoneExists: false,
          },
        },
        at: raisedAt,
        actor,
      },
      {
        command: {
          type: 'ReferObstacle',
          data: { obstacleId, leadAgency: pick(AGENCIES, u + o), leadAgencyId: null, cooperatingAgencies: [pick(AGENCIES, u + o + 3)], deadline: iso(30), referredAt: iso(1) },
        },
        at: raisedAt + 24 * HOUR,
        actor,
      },
    ];
    const progress = 1 + ((u + o) % 2);
    for (let p = 0; p < progress; p++) {
      commands.push({ command: { type: 'RecordObstacleProgress', data: { obstacleId, note: pick(NOTES, u + p), recordedAt: iso(5 + p * 5) } }, at: raisedAt + (5 + p * 5) * 24 * HOUR, actor: pick(AGENCIES, u) });
    }
    if ((u + o) % 2 === 0) {
      commands.push({
        command: { type: 'ResolveObstacle', data: { obstacleId, resolutionSummary: 'با پیگیری ستاد تسهیل مشکل برطرف شد', resolvedAt: iso(20), unsettledResolutionIds: [] } },
        at: raisedAt + 20 * 24 * HOUR,
        actor,
      });
    }
    decideAll(obstacleDecider, obstacleId, commands, append);
  }
}

/** A county session reviewing the last eight units (10 events). */
function meeting(m: number, units: { unitId: string; county: string }[], append: Appender): void {
  const meetingId = uuidV5(`bench-meeting-${m}`);
  const county = units[0]!.county;
  const at = START + m * 16 * HOUR + 7 * 24 * HOUR;
  const actor = `dabir-${county}`;
  const scheduledAt = new Date(at).toISOString();
  const commands: { command: MeetingCommand; at: number; actor: string }[] = [
    {
      command: {
        type: 'ScheduleMeeting',
        data: {
          meetingId, workgroupId: null, sequenceNumber: null, province: 'تهران', county,
          title: `جلسه کارگروه ستاد تسهیل و رفع موانع تولید شهرستان ${county}`, scheduledAt,
          venue: pick(LOCATIONS, m), chair: pick(PEOPLE, m),
        },
      },
      at: at - 72 * HOUR,
      actor,
    },
  ];
  for (const unit of units) {
    commands.push({
      command: { type: 'AddAgendaItem', data: { meetingId, kind: 'UNIT', subjectId: unit.unitId, unitId: unit.unitId, note: 'بررسی مشکلات واحد', subjectExists: true } },
      at: at - 48 * HOUR,
      actor,
    });
  }
  commands.push({
    command: {
      type: 'RecordMeetingHeld',
      data: {
        meetingId, heldAt: scheduledAt,
        attendees: [{ name: pick(PEOPLE, m), agency: 'فرمانداری', role: 'رئیس جلسه' }, { name: pick(PEOPLE, m + 1), agency: pick(AGENCIES, m), role: null }],
        minutes: 'مشکلات واحدها بررسی و برای هر مورد دستگاه مسئول و مهلت تعیین شد.',
      },
    },
    at: at + 3 * HOUR,
    actor,
  });
  decideAll(meetingDecider, meetingId, commands, append);
}

/**
 * Yields each stream's events, in an order where everything a projection
 * looks up (a unit before its obstacles and meetings) comes first, until at
 * least `size` events were produced. A generator, so a million events never
 * sit in memory at once.
 */
export function* generateHistory(size: number): Generator<{ stream: string; events: NewEvent[] }> {
  let produced = 0;
  const chunk: { stream: string; events: NewEvent[] }[] = [];
  const append: Appender = (stream, events) => {
    produced += events.length;
    chunk.push({ stream, events });
  };
  let recent: { unitId: string; county: string }[] = [];
  let meetings = 0;
  for (let u = 0; produced < size; u++) {
    unitLife(u, append, (unitId, county) => recent.push({ unitId, county }));
    if (recent.length === 8) {
      meeting(meetings++, recent, append);
      recent = [];
    }
    yield* chunk.splice(0);
  }
}

/**
 * Writes a store of at least `size` generated events at `file`; appends go
 * through the adapter, many streams per group commit.
 */
export async function writeStore(file: string, size: number): Promise<number> {
  const store = createSqliteEventStore({ path: file, synchronous: 'NORMAL' });
  let inFlight: Promise<unknown>[] = [];
  let written = 0;
  try {
    for (const { stream, events } of generateHistory(size)) {
      written += events.length;
      inFlight.push(store.appendToStream(stream, events, { expectedRevision: 'no_stream' }));
      if (inFlight.length >= 1000) {
        await Promise.all(inFlight);
        inFlight = [];
      }
    }
    await Promise.all(inFlight);
  } finally {
    await store.close();
  }
  return written;
}

/**
 * A generated store of `size` events under `cacheDir`, reused when a previous
 * run left one (written to a temporary name first, so an interrupted run never
 * leaves a partial store behind). Returns its folder and whether it was cached.
 */
export async function cachedStore(cacheDir: string, size: number): Promise<{ dir: string; file: string; events: number; cached: boolean; seconds: number }> {
  const dir = join(cacheDir, `history-${size}-g${GENERATOR_VERSION}`);
  const file = join(dir, 'events.sqlite');
  if (existsSync(file)) {
    const store = createSqliteEventStore({ path: file, synchronous: 'NORMAL' });
    const events = Number(await store.headPosition());
    await store.close();
    return { dir, file, events, cached: true, seconds: 0 };
  }
  const started = process.hrtime.bigint();
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const events = await writeStore(join(partial, 'events.sqlite'), size);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return { dir, file, events, cached: false, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/**
 * One unit with a long life: registered, then `size - 1` status changes (a
 * report a day for decades), as the audit replay benchmark needs.
 */
export function longUnitHistory(unitId: string, size: number): { stream: string; events: NewEvent[] } {
  const commands: { command: UnitCommand; at: number; actor: string }[] = [];
  const statuses = ['ACTIVE', 'SEMI_ACTIVE', 'INACTIVE'] as const;
  const day = (i: number): number => START + i * 24 * HOUR;
  commands.push({
    command: {
      type: 'RegisterUnit',
      data: {
        unitId, name: 'صنایع ابتکار پلاستیک', nationalId: '10861234567', sector: 'پلاستیک', province: 'تهران', county: 'پاکدشت',
        location: 'شهرک صنعتی خوارزمی', zoneId: null, isicCode: '2220', headCount: 42, capacityUtilisation: 40,
        activityStatus: 'ACTIVE', registeredAt: new Date(day(0)).toISOString(), zoneExists: false,
      },
    },
    at: day(0),
    actor: 'dabir-pakdasht',
  });
  for (let i = 1; i < size; i++) {
    commands.push({
      command: { type: 'ChangeUnitActivityStatus', data: { unitId, status: statuses[i % 3]!, reason: `${pick(STATUS_REASONS, i)} (گزارش روز ${i})`, changedAt: new Date(day(i)).toISOString() } },
      at: day(i),
      actor: i % 2 === 0 ? 'dabir-pakdasht' : 'karshenas-smt',
    });
  }
  let result: { stream: string; events: NewEvent[] } | undefined;
  decideAll(unitDecider, unitId, commands, (stream, events) => {
    result = { stream, events };
  });
  return result!;
}

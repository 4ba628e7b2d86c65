/**
 * The registries through the real schema, a real SQLite file and the real
 * projections: agencies, workgroups, zones (Kharazmi park, Islamshahr's
 * clusters), and a unit's zone and profile. Every refusal appends nothing.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { systemPrincipal, type Principal } from '../../src/auth/principal';
import { discoverProjections } from '../../src/projection/discover';
import { readModelDb } from '../../src/projection/projection';
import { startTestApp, type TestApp } from '../support/app';
import { dumpReadModels, rebuildFromScratch } from '../support/read-models';
import {
  ADVANCE_CONVERSION,
  AGENCIES,
  AGENCY,
  AUDIT_TRAIL,
  DEACTIVATE_AGENCY,
  LINK_UNIT_TO_ZONE,
  REGISTER_AGENCY,
  REGISTER_UNIT,
  REGISTER_WORKGROUP,
  REGISTER_ZONE,
  RENAME_AGENCY,
  UNIT_ZONE,
  UPDATE_UNIT_PROFILE,
  WORKGROUP,
  WORKGROUPS,
  ZONE,
  ZONES,
  islamshahrCluster,
  kharazmiPark,
  kharazmiUnit,
  pakdashtAgency,
  pakdashtMeeting,
  pakdashtWorkgroup,
} from './operations';

const START = Date.parse('2024-11-25T09:00:00+03:30');
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

let t: TestApp;
let clock: number;
beforeEach(async () => {
  clock = START;
  // One second per command: lists come back in a known order.
  t = await startTestApp({ now: () => new Date((clock += 1000)) });
});
afterEach(async () => {
  await t.close();
});

const head = () => t.app.store.headPosition();
const codeOf = (errors: any[] | undefined) => errors?.[0]?.extensions?.code;

/** Runs `query` expecting `code`, and checks that nothing was appended. */
const refused = async (code: string, query: string, variables: Record<string, unknown>, as?: Principal) => {
  const before = await head();
  const { data, errors } = await t.exec(query, variables, as);
  expect(codeOf(errors)).toBe(code);
  expect(errors).toHaveLength(1);
  expect(Object.values(data ?? {}).every((v) => v === null)).toBe(true);
  expect(await head()).toBe(before);
  return errors![0];
};

const registerAgency = async (overrides: Record<string, unknown> = {}) =>
  (await t.ok(REGISTER_AGENCY, { input: pakdashtAgency(overrides) })).registerAgency;
const registerWorkgroup = async (overrides: Record<string, unknown> = {}) =>
  (await t.ok(REGISTER_WORKGROUP, { input: pakdashtWorkgroup(overrides) })).registerWorkgroup;
const registerZone = async (input: Record<string, unknown>) => (await t.ok(REGISTER_ZONE, { input })).registerZone;
const registerUnit = async (overrides: Record<string, unknown> = {}) =>
  (await t.ok(REGISTER_UNIT, { input: kharazmiUnit(overrides) })).registerUnit.unit;
const advance = async (zoneId: string, stage: string, note = '', skipReason?: string) =>
  (await t.ok(ADVANCE_CONVERSION, { input: { zoneId, stage, note, ...(skipReason ? { skipReason } : {}) } })).advanceClusterConversion;
const link = async (unitId: string, zoneId: string) => (await t.ok(LINK_UNIT_TO_ZONE, { input: { unitId, zoneId } })).linkUnitToZone;
const names = (connection: { edges: { node: { name: string } }[] }) => connection.edges.map((e) => e.node.name);

describe('agencies', () => {
  test('registering returns the agency from the read model; a provincial office has no county', async () => {
    const payload = await registerAgency();
    expect(payload).toMatchObject({ revision: '0', replayed: false });
    expect(payload.agency).toMatchObject({
      name: 'اداره صنعت، معدن و تجارت پاکدشت',
      kind: 'SMT',
      province: 'تهران',
      county: 'پاکدشت',
      status: 'ACTIVE',
      formerNames: [],
      deactivatedAt: null,
      revision: '0',
    });
    const provincial = await registerAgency({ name: 'سازمان صنعت، معدن و تجارت استان تهران', county: null });
    expect(provincial.agency.county).toBeNull();
    expect((await t.ok(AGENCY, { id: payload.agency.id })).agency).toEqual(payload.agency);
    expect((await t.ok(AGENCY, { id: UNKNOWN })).agency).toBeNull();
  });

  test('a retry with the same idempotency key returns the same agency and records nothing', async () => {
    const input = pakdashtAgency({ kind: 'BANK', name: 'بانک ملی شعبه پاکدشت', idempotencyKey: 'bank-1' });
    const first = (await t.ok(REGISTER_AGENCY, { input })).registerAgency;
    const before = await head();
    const again = (await t.ok(REGISTER_AGENCY, { input })).registerAgency;
    expect(again).toMatchObject({ commandId: first.commandId, replayed: true, agency: { id: first.agency.id } });
    expect(await head()).toBe(before);
  });

  test('renaming keeps the former name; the same name again records nothing', async () => {
    const { agency } = await registerAgency({ name: 'اداره بیمه پاکدشت', kind: 'INSURANCE' });
    const renamed = (await t.ok(RENAME_AGENCY, { input: { agencyId: agency.id, name: 'اداره بیمه و تامین اجتماعی پاکدشت', expectedRevision: '0' } }))
      .renameAgency;
    expect(renamed).toMatchObject({ revision: '1', agency: { name: 'اداره بیمه و تامین اجتماعی پاکدشت', formerNames: ['اداره بیمه پاکدشت'], revision: '1' } });

    const before = await head();
    const same = (await t.ok(RENAME_AGENCY, { input: { agencyId: agency.id, name: 'اداره بیمه و تامین اجتماعی پاکدشت' } })).renameAgency;
    expect(same).toMatchObject({ revision: '1', replayed: false });
    expect(await head()).toBe(before);
  });

  test('a stale expectedRevision is CONFLICT; an unknown agency NOT_FOUND; a deactivated one INVALID_TRANSITION', async () => {
    const { agency } = await registerAgency();
    await t.ok(RENAME_AGENCY, { input: { agencyId: agency.id, name: 'اداره صمت پاکدشت' } });
    const conflict = await refused('CONFLICT', RENAME_AGENCY, { input: { agencyId: agency.id, name: 'نام دیگر', expectedRevision: '0' } });
    expect(conflict.extensions).toMatchObject({ expectedRevision: '0', currentRevision: '1' });
    await refused('NOT_FOUND', RENAME_AGENCY, { input: { agencyId: UNKNOWN, name: 'نام' } });
    await refused('NOT_FOUND', DEACTIVATE_AGENCY, { input: { agencyId: UNKNOWN, reason: 'ادغام' } });

    const deactivated = (await t.ok(DEACTIVATE_AGENCY, { input: { agencyId: agency.id, reason: 'ادغام در اداره کل صمت استان' } })).deactivateAgency;
    expect(deactivated.agency).toMatchObject({ status: 'DEACTIVATED', deactivationReason: 'ادغام در اداره کل صمت استان', revision: '2' });
    expect(deactivated.agency.deactivatedAt).not.toBeNull();
    await refused('INVALID_TRANSITION', DEACTIVATE_AGENCY, { input: { agencyId: agency.id, reason: 'دوباره' } });
    await refused('INVALID_TRANSITION', RENAME_AGENCY, { input: { agencyId: agency.id, name: 'نام تازه' } });

    // The reason is the deactivation event's own `reason`, for auditors.
    const trail = (await t.ok(AUDIT_TRAIL, { kind: 'AGENCY', id: agency.id })).auditTrail;
    expect(trail.edges.map((e: any) => [e.node.type, e.node.reason])).toEqual([
      ['AgencyRegistered', null],
      ['AgencyRenamed', null],
      ['AgencyDeactivated', 'ادغام در اداره کل صمت استان'],
    ]);
  });

  test('bad input is BAD_USER_INPUT naming the field, and appends nothing', async () => {
    const blank = await refused('BAD_USER_INPUT', REGISTER_AGENCY, { input: pakdashtAgency({ name: ' \u200c ' }) });
    expect(blank.extensions.fields[0].field).toBe('input.name');
    await refused('BAD_USER_INPUT', REGISTER_AGENCY, { input: pakdashtAgency({ kind: 'CHARITY' }) });
    const badId = await refused('BAD_USER_INPUT', RENAME_AGENCY, { input: { agencyId: 'agency-1', name: 'نام' } });
    expect(badId.extensions.fields[0].field).toBe('input.agencyId');
  });

  test('lists filter by kind, province and county, and page with cursors', async () => {
    await registerAgency();
    await registerAgency({ name: 'بانک ملی شعبه پاکدشت', kind: 'BANK' });
    await registerAgency({ name: 'بانک صادرات اسلامشهر', kind: 'BANK', county: 'اسلامشهر' });
    await registerAgency({ name: 'بانک کشاورزی شعبه پاکدشت', kind: 'BANK' });
    await registerAgency({ name: 'اداره کل امور مالیاتی استان البرز', kind: 'TAX', province: 'البرز', county: null });

    expect((await t.ok(AGENCIES, {})).agencies.totalCount).toBe(5);
    expect(names((await t.ok(AGENCIES, { province: 'البرز' })).agencies)).toEqual(['اداره کل امور مالیاتی استان البرز']);
    expect(names((await t.ok(AGENCIES, { county: 'اسلامشهر' })).agencies)).toEqual(['بانک صادرات اسلامشهر']);

    const page1 = (await t.ok(AGENCIES, { kind: 'BANK', county: 'پاکدشت', first: 1 })).agencies;
    expect(page1.totalCount).toBe(2);
    expect(names(page1)).toEqual(['بانک ملی شعبه پاکدشت']);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const page2 = (await t.ok(AGENCIES, { kind: 'BANK', county: 'پاکدشت', first: 1, after: page1.pageInfo.endCursor })).agencies;
    expect(names(page2)).toEqual(['بانک کشاورزی شعبه پاکدشت']);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    expect(codeOf((await t.exec(AGENCIES, { first: 101 })).errors)).toBe('BAD_USER_INPUT');
    expect(codeOf((await t.exec(AGENCIES, { after: 'not-a-cursor' })).errors)).toBe('BAD_USER_INPUT');
  });
});

describe('workgroups', () => {
  test('county, provincial and national bodies; each names only the places its level has', async () => {
    const county = await registerWorkgroup();
    expect(county).toMatchObject({ revision: '0', replayed: false });
    expect(county.workgroup).toMatchObject({ level: 'COUNTY', province: 'تهران', county: 'پاکدشت', meetingCount: 0, lastSequenceNumber: null });
    const province = (await registerWorkgroup({ level: 'PROVINCE', name: 'کارگروه تسهیل استان تهران', county: null })).workgroup;
    expect(province).toMatchObject({ level: 'PROVINCE', province: 'تهران', county: null });
    const national = (await registerWorkgroup({ level: 'NATIONAL', name: 'ستاد تسهیل و رفع موانع تولید', province: null, county: null })).workgroup;
    expect(national).toMatchObject({ level: 'NATIONAL', province: null, county: null });
    expect((await t.ok(WORKGROUP, { id: national.id })).workgroup).toEqual(national);
    expect((await t.ok(WORKGROUP, { id: UNKNOWN })).workgroup).toBeNull();

    const noCounty = await refused('BAD_USER_INPUT', REGISTER_WORKGROUP, { input: pakdashtWorkgroup({ county: null }) });
    expect(noCounty.extensions.fields).toEqual([{ field: 'input.county', messages: ['a COUNTY body needs a county'] }]);
    const nationalInTehran = await refused('BAD_USER_INPUT', REGISTER_WORKGROUP, { input: pakdashtWorkgroup({ level: 'NATIONAL', county: null }) });
    expect(nationalInTehran.extensions.fields[0].field).toBe('input.province');
    await refused('BAD_USER_INPUT', REGISTER_WORKGROUP, { input: pakdashtWorkgroup({ level: 'CITY' }) });
  });

  test('scheduling meetings of a workgroup counts them and numbers its sessions', async () => {
    const { workgroup } = await registerWorkgroup();
    const ctx = (n: number) => ({ principal: systemPrincipal('test'), now: new Date(START + n * 86_400_000) });
    const meeting = pakdashtMeeting({ workgroupId: workgroup.id });
    for (const week of [0, 7]) {
      await t.app.commands.scheduleMeeting({ ...meeting, scheduledAt: new Date(Date.parse(meeting.scheduledAt) + week * 86_400_000) } as any, ctx(week));
    }
    await t.app.runtime.waitForPosition(await head(), 5000);
    expect((await t.ok(WORKGROUP, { id: workgroup.id })).workgroup).toMatchObject({ meetingCount: 2, lastSequenceNumber: 2, revision: '2' });
  });

  test('lists filter by level and province, and page with cursors', async () => {
    await registerWorkgroup();
    await registerWorkgroup({ name: 'کارگروه ستاد تسهیل شهرستان اسلامشهر', county: 'اسلامشهر' });
    await registerWorkgroup({ level: 'PROVINCE', name: 'کارگروه تسهیل استان تهران', county: null });
    await registerWorkgroup({ level: 'PROVINCE', name: 'کارگروه تسهیل استان البرز', province: 'البرز', county: null });
    await registerWorkgroup({ level: 'NATIONAL', name: 'ستاد تسهیل و رفع موانع تولید', province: null, county: null });

    expect((await t.ok(WORKGROUPS, {})).workgroups.totalCount).toBe(5);
    expect(names((await t.ok(WORKGROUPS, { level: 'PROVINCE' })).workgroups)).toEqual(['کارگروه تسهیل استان تهران', 'کارگروه تسهیل استان البرز']);
    expect(names((await t.ok(WORKGROUPS, { level: 'NATIONAL' })).workgroups)).toEqual(['ستاد تسهیل و رفع موانع تولید']);

    const page1 = (await t.ok(WORKGROUPS, { province: 'تهران', first: 2 })).workgroups;
    expect(page1.totalCount).toBe(3);
    expect(names(page1)).toEqual(['کارگروه ستاد تسهیل و رفع موانع تولید شهرستان پاکدشت', 'کارگروه ستاد تسهیل شهرستان اسلامشهر']);
    const page2 = (await t.ok(WORKGROUPS, { province: 'تهران', first: 2, after: page1.pageInfo.endCursor })).workgroups;
    expect(names(page2)).toEqual(['کارگروه تسهیل استان تهران']);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(codeOf((await t.exec(WORKGROUPS, { level: 'CITY' })).errors)).toBe('BAD_USER_INPUT');
  });
});

describe('zones', () => {
  test('Kharazmi industrial park with its units linked: counts, the units connection, each unit’s zone', async () => {
    const park = await registerZone(kharazmiPark());
    expect(park).toMatchObject({ revision: '0', replayed: false });
    expect(park.zone).toMatchObject({
      name: 'شهرک صنعتی خوارزمی',
      kind: 'INDUSTRIAL_PARK',
      county: 'پاکدشت',
      conversionStage: null,
      nonGovernmental: false,
      unitCount: 0,
    });
    const companies = ['کیا افق پایدار', 'سرعت خانه ساز', 'ابتکار پلاستیک', 'ماداکام شرق'];
    const units: string[] = [];
    for (const [i, name] of companies.entries()) units.push((await registerUnit({ name, nationalId: `1010000000${i + 1}` })).id);
    expect((await t.ok(UNIT_ZONE, { id: units[0] })).unit.zone).toBeNull();

    for (const unitId of units) {
      const linked = await link(unitId, park.zone.id);
      expect(linked).toMatchObject({ revision: '1', replayed: false, unit: { id: unitId, zone: { id: park.zone.id, name: 'شهرک صنعتی خوارزمی' } } });
    }
    expect((await t.ok(UNIT_ZONE, { id: units[2] })).unit.zone).toMatchObject({ id: park.zone.id, unitCount: 4 });

    const page1 = (await t.ok(ZONE, { id: park.zone.id, first: 3 })).zone;
    expect(page1).toMatchObject({ unitCount: 4, conversionHistory: [] });
    expect(page1.units.totalCount).toBe(4);
    expect(names(page1.units)).toEqual(companies.slice(0, 3));
    expect(page1.units.edges[0].node.zone).toEqual({ id: park.zone.id });
    const page2 = (await t.ok(ZONE, { id: park.zone.id, first: 3, after: page1.units.pageInfo.endCursor })).zone;
    expect(names(page2.units)).toEqual(['ماداکام شرق']);
    expect(page2.units.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    // The same zone again records nothing.
    const before = await head();
    expect(await link(units[0]!, park.zone.id)).toMatchObject({ revision: '1', replayed: false });
    expect(await head()).toBe(before);
  });

  test('a unit moved to another zone leaves the first one; a unit registered in a zone counts from the start', async () => {
    const kharazmi = (await registerZone(kharazmiPark())).zone;
    const shoeCity = (await registerZone({ ...islamshahrCluster(), name: 'شهرک تخصصی کفش اسلامشهر', kind: 'SPECIALISED_PARK' })).zone;
    const unit = await registerUnit();
    await link(unit.id, kharazmi.id);
    const moved = await link(unit.id, shoeCity.id);
    expect(moved).toMatchObject({ revision: '2', unit: { zone: { id: shoeCity.id, unitCount: 1 } } });
    expect((await t.ok(ZONE, { id: kharazmi.id })).zone).toMatchObject({ unitCount: 0, units: { totalCount: 0, edges: [] } });

    await t.app.commands.registerUnit(
      { ...(kharazmiUnit({ nationalId: '10100000009' }) as any), zoneId: kharazmi.id },
      { principal: systemPrincipal('test'), now: new Date() },
    );
    await t.app.runtime.waitForPosition(await head(), 5000);
    expect((await t.ok(ZONE, { id: kharazmi.id })).zone).toMatchObject({ unitCount: 1, units: { totalCount: 1 } });
  });

  test('linking to an unknown zone or an unknown unit is NOT_FOUND and appends nothing', async () => {
    const { zone } = await registerZone(kharazmiPark());
    const unit = await registerUnit();
    const e = await refused('NOT_FOUND', LINK_UNIT_TO_ZONE, { input: { unitId: unit.id, zoneId: UNKNOWN } });
    expect(e.message).toContain(`zone ${UNKNOWN}`);
    await refused('NOT_FOUND', LINK_UNIT_TO_ZONE, { input: { unitId: UNKNOWN, zoneId: zone.id } });
    await refused('BAD_USER_INPUT', LINK_UNIT_TO_ZONE, { input: { unitId: unit.id, zoneId: 'kharazmi' } });
    await refused('CONFLICT', LINK_UNIT_TO_ZONE, { input: { unitId: unit.id, zoneId: zone.id, expectedRevision: '3' } });
  });

  test("a whole zone's obstacle goes on a meeting's agenda with its zone (and no unit)", async () => {
    const { zone } = await registerZone(kharazmiPark());
    const raised = await t.ok(
      `mutation ($input: RaiseObstacleInput!) { raiseObstacle(input: $input) { obstacle { id } } }`,
      { input: { zoneId: zone.id, title: 'آنتن‌دهی مخابرات شهرک', category: 'TELECOM' } },
    );
    const obstacleId = raised.raiseObstacle.obstacle.id;
    const meetingId = (await t.ok(`mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id } } }`, { input: pakdashtMeeting() }))
      .scheduleMeeting.meeting.id;
    const added = await t.ok(
      `mutation ($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { meeting { items { kind subjectId unitId zoneId } agenda { subjectId } } } }`,
      { input: { meetingId, kind: 'OBSTACLE', subjectId: obstacleId } },
    );
    expect(added.addAgendaItem.meeting.items).toEqual([{ kind: 'OBSTACLE', subjectId: obstacleId, unitId: null, zoneId: zone.id }]);
    // The deprecated list holds items with a unit only.
    expect(added.addAgendaItem.meeting.agenda).toEqual([]);
  });

  test('an obstacle of a whole zone (paving, telecom) is listed on the zone', async () => {
    const { zone } = await registerZone(kharazmiPark());
    for (const [title, category] of [['آسفالت معابر شهرک', 'MUNICIPAL'], ['توسعه شبکه فیبر نوری', 'TELECOM']] as const) {
      const ctx = { principal: systemPrincipal('test'), now: new Date((clock += 1000)) };
      await t.app.commands.raiseObstacle({ zoneId: zone.id, title, description: '', category, priority: 'NORMAL' }, ctx);
    }
    await t.app.runtime.waitForPosition(await head(), 5000);
    const { obstacles } = (await t.ok(ZONE, { id: zone.id })).zone;
    expect(obstacles.totalCount).toBe(2);
    expect(obstacles.edges.map((e: any) => e.node)).toEqual([
      expect.objectContaining({ title: 'آسفالت معابر شهرک', category: 'MUNICIPAL', status: 'OPEN', county: 'پاکدشت' }),
      expect.objectContaining({ title: 'توسعه شبکه فیبر نوری', category: 'TELECOM', status: 'OPEN', county: 'پاکدشت' }),
    ]);
  });

  test("Islamshahr's clusters: one goes through every stage and becomes a non-governmental industrial park", async () => {
    const clusters = ['چهاردانگه', 'قائمیه', 'واوان', 'احمدآباد مستوفی', 'نسیم شهر'];
    const ids: string[] = [];
    for (const name of clusters) {
      const { zone } = await registerZone(islamshahrCluster({ name: `لکه صنعتی ${name}` }));
      expect(zone).toMatchObject({ kind: 'INDUSTRIAL_CLUSTER', conversionStage: 'IDENTIFIED', nonGovernmental: false });
      ids.push(zone.id);
    }
    const chahardangeh = ids[0]!;
    const stages = ['APPLICATION_FILED', 'PERMIT_ISSUED', 'INFRASTRUCTURE', 'CONVERTED'];
    for (const [i, stage] of stages.entries()) {
      const step = await advance(chahardangeh, stage, `مرحله ${i + 1}`);
      expect(step).toMatchObject({ revision: String(i + 1), zone: { conversionStage: stage, revision: String(i + 1) } });
    }
    const converted = (await t.ok(ZONE, { id: chahardangeh })).zone;
    expect(converted).toMatchObject({ kind: 'INDUSTRIAL_PARK', conversionStage: 'CONVERTED', nonGovernmental: true, revision: '4' });
    expect(converted.convertedAt).not.toBeNull();
    expect(converted.conversionHistory.map((s: any) => [s.from, s.to, s.note, s.actor])).toEqual([
      ['IDENTIFIED', 'APPLICATION_FILED', 'مرحله 1', 'test-actor'],
      ['APPLICATION_FILED', 'PERMIT_ISSUED', 'مرحله 2', 'test-actor'],
      ['PERMIT_ISSUED', 'INFRASTRUCTURE', 'مرحله 3', 'test-actor'],
      ['INFRASTRUCTURE', 'CONVERTED', 'مرحله 4', 'test-actor'],
    ]);

    // Stages only move forward, and a park has none to move through.
    await refused('INVALID_TRANSITION', ADVANCE_CONVERSION, { input: { zoneId: chahardangeh, stage: 'PERMIT_ISSUED' } });
    await refused('INVALID_TRANSITION', ADVANCE_CONVERSION, { input: { zoneId: chahardangeh, stage: 'CONVERTED' } });
    const { zone: kharazmi } = await registerZone(kharazmiPark());
    const park = await refused('INVALID_TRANSITION', ADVANCE_CONVERSION, { input: { zoneId: kharazmi.id, stage: 'APPLICATION_FILED' } });
    expect(park.message).toMatch(/only an INDUSTRIAL_CLUSTER converts/);
    await refused('NOT_FOUND', ADVANCE_CONVERSION, { input: { zoneId: UNKNOWN, stage: 'APPLICATION_FILED' } });
    await refused('CONFLICT', ADVANCE_CONVERSION, { input: { zoneId: ids[1], stage: 'APPLICATION_FILED', expectedRevision: '1' } });
    await refused('BAD_USER_INPUT', ADVANCE_CONVERSION, { input: { zoneId: ids[1], stage: 'DEMOLISHED' } });

    // Passing a stage over is a decision with its reason (a permit issued with its application), recorded as a skip.
    const skip = await refused('INVALID_TRANSITION', ADVANCE_CONVERSION, { input: { zoneId: ids[1], stage: 'CONVERTED' } });
    expect(skip.message).toMatch(/skipping APPLICATION_FILED, PERMIT_ISSUED, INFRASTRUCTURE needs a skipReason/);
    expect((await advance(ids[1]!, 'PERMIT_ISSUED', 'مجوز صادر شد', 'درخواست و مجوز همزمان')).zone.conversionStage).toBe('PERMIT_ISSUED');
    const history = (await t.ok(`query ($id: ID!) { zone(id: $id) { conversionHistory { from to skipped skipReason } } }`, { id: ids[1] })).zone.conversionHistory;
    expect(history).toEqual([{ from: 'IDENTIFIED', to: 'PERMIT_ISSUED', skipped: ['APPLICATION_FILED'], skipReason: 'درخواست و مجوز همزمان' }]);
    expect(converted.conversionHistory.every((s: any) => s.skipped.length === 0 && s.skipReason === null)).toBe(true);

    const islamshahr = { province: 'تهران', county: 'اسلامشهر' };
    expect((await t.ok(ZONES, { ...islamshahr, kind: 'INDUSTRIAL_CLUSTER' })).zones.totalCount).toBe(4);
    expect(names((await t.ok(ZONES, { ...islamshahr, kind: 'INDUSTRIAL_PARK' })).zones)).toEqual(['لکه صنعتی چهاردانگه']);
    expect(names((await t.ok(ZONES, { conversionStage: 'IDENTIFIED' })).zones)).toEqual(clusters.slice(2).map((n) => `لکه صنعتی ${n}`));
    expect(names((await t.ok(ZONES, { conversionStage: 'CONVERTED' })).zones)).toEqual(['لکه صنعتی چهاردانگه']);
  });

  test('lists filter by kind, province and county, and page with cursors', async () => {
    await registerZone(kharazmiPark());
    for (let i = 1; i <= 4; i++) await registerZone(islamshahrCluster({ name: `لکه صنعتی ${i}` }));
    await registerZone({ name: 'شهرک صنعتی اشتهارد', kind: 'INDUSTRIAL_PARK', province: 'البرز', county: 'اشتهارد' });

    expect((await t.ok(ZONES, {})).zones.totalCount).toBe(6);
    expect(names((await t.ok(ZONES, { province: 'البرز' })).zones)).toEqual(['شهرک صنعتی اشتهارد']);
    expect(names((await t.ok(ZONES, { kind: 'INDUSTRIAL_PARK', province: 'تهران' })).zones)).toEqual(['شهرک صنعتی خوارزمی']);

    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = (await t.ok(ZONES, { county: 'اسلامشهر', first: 3, after })).zones;
      expect(page.totalCount).toBe(4);
      seen.push(...names(page));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(['لکه صنعتی 1', 'لکه صنعتی 2', 'لکه صنعتی 3', 'لکه صنعتی 4']);
    expect(codeOf((await t.exec(ZONES, { first: 0 })).errors)).toBe('BAD_USER_INPUT');
    expect((await t.ok(`query ($id: ID!) { zone(id: $id) { id } }`, { id: UNKNOWN })).zone).toBeNull();
  });

  test('dates have Solar Hijri twins, Tehran time', async () => {
    const { zone } = await registerZone(kharazmiPark());
    const { zone: read } = await t.ok(`query ($id: ID!) { zone(id: $id) { registeredAt registeredAtJalali } }`, { id: zone.id });
    expect(read.registeredAtJalali).toBe('1403/09/05'); // 2024-11-25, Tehran
  });

  test('BAD_USER_INPUT for a zone without a county or of an unknown kind, appending nothing', async () => {
    const e = await refused('BAD_USER_INPUT', REGISTER_ZONE, { input: kharazmiPark({ county: '' }) });
    expect(e.extensions.fields[0].field).toBe('input.county');
    await refused('BAD_USER_INPUT', REGISTER_ZONE, { input: kharazmiPark({ kind: 'FREE_ZONE' }) });
  });
});

describe('unit profile', () => {
  test('only changed fields are recorded; the same values again record nothing', async () => {
    const unit = await registerUnit();
    const updated = (await t.ok(UPDATE_UNIT_PROFILE, {
      input: { unitId: unit.id, headCount: 55, capacityUtilisation: 45.5, isicCode: '۲۵۲۰', expectedRevision: '0' },
    })).updateUnitProfile;
    expect(updated).toMatchObject({ revision: '1', replayed: false, unit: { id: unit.id } });

    const before = await head();
    const same = (await t.ok(UPDATE_UNIT_PROFILE, { input: { unitId: unit.id, headCount: 55, sector: 'پلاستیک' } })).updateUnitProfile;
    expect(same).toMatchObject({ revision: '1', replayed: false });
    expect(await head()).toBe(before);

    // null clears a field; the sector cannot be cleared, so null leaves it.
    await t.ok(UPDATE_UNIT_PROFILE, { input: { unitId: unit.id, isicCode: null, sector: null } });
    const trail = (await t.ok(AUDIT_TRAIL, { kind: 'UNIT', id: unit.id })).auditTrail;
    expect(trail.edges.map((e: any) => [e.node.type, e.node.data])).toEqual([
      ['UnitRegistered', expect.anything()],
      ['UnitProfileUpdated', { unitId: unit.id, headCount: 55, capacityUtilisation: 45.5, isicCode: '2520', updatedAt: expect.any(String) }],
      ['UnitProfileUpdated', { unitId: unit.id, isicCode: null, updatedAt: expect.any(String) }],
    ]);
  });

  test('refusals append nothing: out-of-range, unknown unit, stale revision', async () => {
    const unit = await registerUnit();
    const range = await refused('BAD_USER_INPUT', UPDATE_UNIT_PROFILE, { input: { unitId: unit.id, capacityUtilisation: 150 } });
    expect(range.extensions.fields[0].field).toBe('input.capacityUtilisation');
    const isic = await refused('BAD_USER_INPUT', UPDATE_UNIT_PROFILE, { input: { unitId: unit.id, isicCode: 'ISIC-25' } });
    expect(isic.extensions.fields[0].field).toBe('input.isicCode');
    await refused('BAD_USER_INPUT', UPDATE_UNIT_PROFILE, { input: { unitId: unit.id, headCount: -1 } });
    await refused('NOT_FOUND', UPDATE_UNIT_PROFILE, { input: { unitId: UNKNOWN, headCount: 10 } });
    await refused('CONFLICT', UPDATE_UNIT_PROFILE, { input: { unitId: unit.id, headCount: 10, expectedRevision: '7' } });
  });
});

describe('the registry projections', () => {
  const REGISTRY_PROJECTIONS = ['agencies', 'workgroups', 'zones'];

  /** A little of everything the registry projections handle. */
  const scenario = async () => {
    const { agency } = await registerAgency();
    await t.ok(RENAME_AGENCY, { input: { agencyId: agency.id, name: 'اداره صمت پاکدشت' } });
    await t.ok(DEACTIVATE_AGENCY, { input: { agencyId: agency.id, reason: 'ادغام' } });
    const { workgroup } = await registerWorkgroup();
    await t.app.commands.scheduleMeeting(
      { ...pakdashtMeeting({ workgroupId: workgroup.id }), scheduledAt: new Date(START) } as any,
      { principal: systemPrincipal('test'), now: new Date((clock += 1000)) },
    );
    const kharazmi = (await registerZone(kharazmiPark())).zone.id;
    const cluster = (await registerZone(islamshahrCluster())).zone.id;
    await advance(cluster, 'PERMIT_ISSUED', '', 'مجوز همراه درخواست');
    await advance(cluster, 'CONVERTED', '', 'زیرساخت موجود');
    const unit = await registerUnit();
    await link(unit.id, kharazmi);
    await link(unit.id, cluster);
    await t.app.commands.registerUnit(
      { ...(kharazmiUnit({ nationalId: '10100000009' }) as any), zoneId: kharazmi },
      { principal: systemPrincipal('test'), now: new Date((clock += 1000)) },
    );
    await t.app.runtime.waitForPosition(await head(), 5000);
  };

  test('applying every event a second time changes no row', async () => {
    await scenario();
    const events = await t.app.store.readAll();
    for (const projection of discoverProjections().filter((p) => REGISTRY_PROJECTIONS.includes(p.name))) {
      const db = new Database(':memory:');
      db.exec(projection.schema);
      const rm = readModelDb(db);
      const applyAll = () => {
        for (const event of events) projection.handlers[event.type]?.(event, rm);
      };
      const dump = () =>
        (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map(({ name }) => ({
          name,
          rows: db.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all(),
        }));
      applyAll();
      const once = dump();
      expect(once.every((table) => table.rows.length > 0)).toBe(true);
      applyAll();
      expect(dump()).toEqual(once);
      db.close();
    }
  });

  test('a rebuild from position 0 gives exactly the rows live processing gave', async () => {
    await scenario();
    const live = dumpReadModels(join(t.dataDir, 'projections'));
    const rebuilt = await rebuildFromScratch(join(t.dataDir, 'events.sqlite'));
    for (const file of ['agencies.v1.sqlite', 'workgroups.v1.sqlite', 'zones.v3.sqlite']) {
      expect(live[file]).toBeDefined();
      expect(rebuilt[file]).toEqual(live[file]);
    }
    expect(live['zones.v3.sqlite']!.zone_units).toHaveLength(2);
  });
});

/**
 * The analytics and search read what the caller's read scope sees (src/auth/scope.ts),
 * over real HTTP with signed tokens, in a world of two provinces: تهران (پاکدشت,
 * اسلامشهر) and اصفهان (کاشان). A county user's figures and hits are its county's, a
 * provincial user's its province's, a national user's the nation's; an agency user reads
 * its own resolutions' performance and finds its cases, their units and its place's
 * zones. The figures of places are refused to agency users; a county user asking for
 * another county's dashboard is refused. Before the scope, every caller read the nation.
 */
import { SEARCH_CANDIDATES } from '../../projections/search';
import {
  CHANGE_STATUS,
  MAKE_COMMITMENT,
  RAISE_OBSTACLE,
  RECORD_HELD,
  RECORD_RESOLUTION,
  REFER_OBSTACLE,
  REGISTER_AGENCY,
  REGISTER_UNIT,
  REGISTER_ZONE,
  SCHEDULE_MEETING,
  kharazmiUnit,
  pakdashtAgency,
  pakdashtMeeting,
} from '../api/operations';
import { startLiveServer, type LiveServer } from '../support/live';

const PAKDASHT = { province: 'تهران', county: 'پاکدشت' };
const ISLAMSHAHR = { province: 'تهران', county: 'اسلامشهر' };
const KASHAN = { province: 'اصفهان', county: 'کاشان' };
type Place = typeof PAKDASHT;

/** The word every item of the world holds, so one search finds them all. */
const WORD = 'سنجش';
const DEADLINE = '2030-01-15T00:00:00Z';
const SEARCH_TEXT = `query ($text: String!) { search(text: $text, first: 100) { kind id } }`;

/** What one county holds. */
interface County {
  units: string[];
  obstacleId: string;
  zoneId: string;
  meetingId: string;
  commitmentId: string;
}

let s: LiveServer;
let nationalId = 11300000000;
const world: Record<'pakdasht' | 'islamshahr' | 'kashan', County> = {} as never;
const agencies: Record<'pakdashtBank' | 'tehranSmt' | 'kashanBank', { id: string; name: string }> = {} as never;
const tokens: Record<string, string> = {};

const NAMES = {
  pakdashtBank: 'بانک ملی شعبه پاکدشت',
  tehranSmt: 'سازمان صنعت، معدن و تجارت استان تهران',
  kashanBank: 'بانک ملی شعبه کاشان',
};

/** A county's unit (revived from semi-active), a case on it, a zone, a held meeting and a promise made there; Pakdasht has a second, idle unit. */
const seed = async (place: Place, category: string): Promise<County> => {
  const unit = async (name: string, activityStatus: string) =>
    (await s.ok(REGISTER_UNIT, { input: kharazmiUnit({ ...place, name, nationalId: String(nationalId++), activityStatus }) })).registerUnit.unit.id as string;
  const units = [await unit(`کارخانه ${WORD} ${place.county}`, 'SEMI_ACTIVE')];
  if (place === PAKDASHT) units.push(await unit(`کارگاه ${WORD} دوم ${place.county}`, 'INACTIVE'));
  await s.ok(CHANGE_STATUS, { input: { unitId: units[0], status: 'ACTIVE', reason: 'بازگشت به تولید' } });
  const obstacleId = (await s.ok(RAISE_OBSTACLE, { input: { unitId: units[0], title: `مانع ${WORD} ${place.county}`, category } })).raiseObstacle.obstacle.id as string;
  const zoneId = (await s.ok(REGISTER_ZONE, { input: { name: `شهرک ${WORD} ${place.county}`, kind: 'INDUSTRIAL_PARK', ...place } })).registerZone.zone.id as string;
  const meetingId = (await s.ok(SCHEDULE_MEETING, { input: pakdashtMeeting({ ...place, title: `جلسه ${WORD} ${place.county}` }) })).scheduleMeeting.meeting.id as string;
  await s.ok(RECORD_HELD, { input: { meetingId, attendees: [{ name: 'فرماندار', agency: 'فرمانداری' }], minutes: 'صورتجلسه' } });
  const commitmentId = (
    await s.ok(MAKE_COMMITMENT, {
      input: {
        madeBy: `فرماندار ${place.county}`,
        madeTo: `تولیدکنندگان ${place.county}`,
        description: `قول ${WORD} ${place.county}`,
        dueDate: DEADLINE,
        source: { kind: 'MEETING', id: meetingId },
      },
    })
  ).makeCommitment.commitment.id as string;
  return { units, obstacleId, zoneId, meetingId, commitmentId };
};

const resolve = async (meetingId: string, lead: { leadAgencyId: string } | { leadAgency: string }) =>
  s.ok(RECORD_RESOLUTION, { input: { meetingId, text: 'مقرر شد', deadline: DEADLINE, ...lead } });

beforeAll(async () => {
  s = await startLiveServer();
  world.pakdasht = await seed(PAKDASHT, 'BANKING');
  world.islamshahr = await seed(ISLAMSHAHR, 'UTILITIES');
  world.kashan = await seed(KASHAN, 'CUSTOMS');
  const register = async (key: keyof typeof NAMES, place: { province: string; county: string | null }, kind: string) => {
    const { id, name } = (await s.ok(REGISTER_AGENCY, { input: pakdashtAgency({ name: NAMES[key], kind, ...place }) })).registerAgency.agency;
    agencies[key] = { id, name };
  };
  await register('pakdashtBank', PAKDASHT, 'BANK');
  await register('tehranSmt', { province: 'تهران', county: null }, 'SMT');
  await register('kashanBank', KASHAN, 'BANK');
  // Cases referred by registry id: Pakdasht's to the Pakdasht bank, Islamshahr's to the provincial office, Kashan's to the Kashan bank.
  const refer = (obstacleId: string, leadAgencyId: string) => s.ok(REFER_OBSTACLE, { input: { obstacleId, leadAgencyId, deadline: DEADLINE } });
  await refer(world.pakdasht.obstacleId, agencies.pakdashtBank.id);
  await refer(world.islamshahr.obstacleId, agencies.tehranSmt.id);
  await refer(world.kashan.obstacleId, agencies.kashanBank.id);
  // Resolutions: each lies where its meeting was held.
  await resolve(world.pakdasht.meetingId, { leadAgencyId: agencies.pakdashtBank.id });
  await resolve(world.pakdasht.meetingId, { leadAgencyId: agencies.tehranSmt.id });
  await resolve(world.pakdasht.meetingId, { leadAgency: 'فرمانداری پاکدشت' }); // named only, by no registry id
  await resolve(world.islamshahr.meetingId, { leadAgencyId: agencies.tehranSmt.id });
  await resolve(world.kashan.meetingId, { leadAgencyId: agencies.kashanBank.id });
  await s.t.app.runtime.waitForPosition(await s.t.app.store.headPosition(), 10_000);

  tokens.pakdasht = await s.token({ subject: 'dabir-pakdasht', roles: ['SECRETARIAT'], province: 'تهران', counties: ['پاکدشت'] });
  tokens.tehran = await s.token({ subject: 'analyst-tehran', roles: ['ANALYST'], province: 'تهران' });
  tokens.nation = await s.token({ subject: 'analyst-nation', roles: ['ANALYST'], national: true });
  tokens.pakdashtBank = await s.token({ subject: 'bank-pakdasht', roles: ['AGENCY'], agencyId: agencies.pakdashtBank.id });
  tokens.tehranSmt = await s.token({ subject: 'smt-tehran', roles: ['AGENCY'], agencyId: agencies.tehranSmt.id });
  tokens.kashanBank = await s.token({ subject: 'bank-kashan', roles: ['AGENCY'], agencyId: agencies.kashanBank.id });
  tokens.unregistered = await s.token({ subject: 'agency-gone', roles: ['AGENCY'], agencyId: '00000000-0000-4000-8000-000000000000' });
  tokens.operator = await s.token({ subject: 'ops', roles: ['OPERATOR'] });
}, 60_000);
afterAll(async () => {
  await s?.close();
});

const read = async (who: string, query: string, variables?: Record<string, unknown>) => {
  const { data, errors } = await s.gql(query, variables, tokens[who]);
  if (errors?.length) throw new Error(`${who}: ${JSON.stringify(errors)}`);
  return data;
};
const refusal = async (who: string, query: string, variables?: Record<string, unknown>) => {
  const { data, errors } = await s.gql(query, variables, tokens[who]);
  expect({ who, code: errors?.[0]?.extensions?.code }).toEqual({ who, code: 'FORBIDDEN' });
  expect(data).toBeNull();
};

describe('countyDashboard', () => {
  const DASHBOARD = `query ($county: String!) { countyDashboard(county: $county) { county totalUnits byStatus { status units } revivals { fromStatus revivals } } }`;
  const dashboard = async (who: string, county: string) => (await read(who, DASHBOARD, { county })).countyDashboard;
  const figures = {
    پاکدشت: { totalUnits: 2, byStatus: [{ status: 'ACTIVE', units: 1 }, { status: 'INACTIVE', units: 1 }], revivals: [{ fromStatus: 'SEMI_ACTIVE', revivals: 1 }] },
    اسلامشهر: { totalUnits: 1, byStatus: [{ status: 'ACTIVE', units: 1 }], revivals: [{ fromStatus: 'SEMI_ACTIVE', revivals: 1 }] },
    کاشان: { totalUnits: 1, byStatus: [{ status: 'ACTIVE', units: 1 }], revivals: [{ fromStatus: 'SEMI_ACTIVE', revivals: 1 }] },
  };
  const empty = { totalUnits: 0, byStatus: [], revivals: [] };

  test('a county user reads its own county, and is refused another', async () => {
    expect(await dashboard('pakdasht', 'پاکدشت')).toEqual({ county: 'پاکدشت', ...figures['پاکدشت'] });
    await refusal('pakdasht', DASHBOARD, { county: 'اسلامشهر' });
    await refusal('pakdasht', DASHBOARD, { county: 'کاشان' });
  });

  test("a provincial user reads both Tehran counties; another province's county reads as empty, as a national user reads every county", async () => {
    expect(await dashboard('tehran', 'پاکدشت')).toEqual({ county: 'پاکدشت', ...figures['پاکدشت'] });
    expect(await dashboard('tehran', 'اسلامشهر')).toEqual({ county: 'اسلامشهر', ...figures['اسلامشهر'] });
    expect(await dashboard('tehran', 'کاشان')).toEqual({ county: 'کاشان', ...empty });
    for (const county of ['پاکدشت', 'اسلامشهر', 'کاشان'] as const) expect(await dashboard('nation', county)).toEqual({ county, ...figures[county] });
  });

  test('agency users and operators are refused', async () => {
    for (const who of ['pakdashtBank', 'tehranSmt', 'unregistered', 'operator']) await refusal(who, DASHBOARD, { county: 'پاکدشت' });
  });
});

describe('obstacleCategories', () => {
  const CATEGORIES = `query ($county: String) { obstacleCategories(county: $county) { category raised } }`;
  const categories = async (who: string, county?: string) =>
    ((await read(who, CATEGORIES, { county })).obstacleCategories as { category: string; raised: number }[]).map((r) => `${r.category}:${r.raised}`).sort();

  test('a county user: its county when none is named; another county is empty', async () => {
    expect(await categories('pakdasht')).toEqual(['BANKING:1']);
    expect(await categories('pakdasht', 'پاکدشت')).toEqual(['BANKING:1']);
    expect(await categories('pakdasht', 'اسلامشهر')).toEqual([]);
  });

  test("a provincial user: both Tehran counties, not Kashan's; a national user: the whole country", async () => {
    expect(await categories('tehran')).toEqual(['BANKING:1', 'UTILITIES:1']);
    expect(await categories('tehran', 'اسلامشهر')).toEqual(['UTILITIES:1']);
    expect(await categories('tehran', 'کاشان')).toEqual([]);
    expect(await categories('nation')).toEqual(['BANKING:1', 'CUSTOMS:1', 'UTILITIES:1']);
    expect(await categories('nation', 'کاشان')).toEqual(['CUSTOMS:1']);
  });

  test('agency users and operators are refused', async () => {
    for (const who of ['pakdashtBank', 'kashanBank', 'unregistered', 'operator']) await refusal(who, CATEGORIES, {});
    await refusal('pakdashtBank', CATEGORIES, { county: 'پاکدشت' });
  });
});

describe('commitmentScorecard', () => {
  const SCORECARD = `query ($county: String) { commitmentScorecard(county: $county) { madeBy open } }`;
  const promisers = async (who: string, county?: string) =>
    ((await read(who, SCORECARD, { county })).commitmentScorecard as { madeBy: string; open: number }[]).map((r) => `${r.madeBy}:${r.open}`).sort();

  test('a county user: its county when none is named; another county is empty', async () => {
    expect(await promisers('pakdasht')).toEqual(['فرماندار پاکدشت:1']);
    expect(await promisers('pakdasht', 'کاشان')).toEqual([]);
  });

  test("a provincial user: both Tehran counties, not Kashan's; a national user: the whole country", async () => {
    expect(await promisers('tehran')).toEqual(['فرماندار اسلامشهر:1', 'فرماندار پاکدشت:1']);
    expect(await promisers('tehran', 'کاشان')).toEqual([]);
    expect(await promisers('nation')).toEqual(['فرماندار اسلامشهر:1', 'فرماندار پاکدشت:1', 'فرماندار کاشان:1']);
    expect(await promisers('nation', 'کاشان')).toEqual(['فرماندار کاشان:1']);
  });

  test('agency users and operators are refused', async () => {
    for (const who of ['pakdashtBank', 'tehranSmt', 'unregistered', 'operator']) await refusal(who, SCORECARD, {});
  });
});

describe('agencyPerformance', () => {
  const PERFORMANCE = `query ($agency: String) { agencyPerformance(agency: $agency) { agency due } }`;
  const scores = async (who: string, agency?: string) =>
    ((await read(who, PERFORMANCE, { agency })).agencyPerformance as { agency: string; due: number }[]).map((r) => `${r.agency}:${r.due}`).sort();

  test("a county user: the resolutions of its county's meetings, whoever leads them", async () => {
    expect(await scores('pakdasht')).toEqual([`${NAMES.pakdashtBank}:1`, `${NAMES.tehranSmt}:1`, 'فرمانداری پاکدشت:1'].sort());
    expect(await scores('pakdasht', NAMES.kashanBank)).toEqual([]);
  });

  test("a provincial user: both Tehran counties' resolutions, not Kashan's; a national user: every resolution", async () => {
    expect(await scores('tehran')).toEqual([`${NAMES.pakdashtBank}:1`, `${NAMES.tehranSmt}:2`, 'فرمانداری پاکدشت:1'].sort());
    expect(await scores('nation')).toEqual([`${NAMES.kashanBank}:1`, `${NAMES.pakdashtBank}:1`, `${NAMES.tehranSmt}:2`, 'فرمانداری پاکدشت:1'].sort());
  });

  test('an agency user: the resolutions its own agency leads by registry id, in every county it serves', async () => {
    expect(await scores('pakdashtBank')).toEqual([`${NAMES.pakdashtBank}:1`]);
    expect(await scores('pakdashtBank', NAMES.tehranSmt)).toEqual([]);
    expect(await scores('tehranSmt')).toEqual([`${NAMES.tehranSmt}:2`]);
    expect(await scores('kashanBank')).toEqual([`${NAMES.kashanBank}:1`]);
    // Not registered (or deactivated): nothing.
    expect(await scores('unregistered')).toEqual([]);
  });
});

describe('search', () => {
  const hits = async (who: string, text = WORD) => ((await read(who, SEARCH_TEXT, { text })).search as { kind: string; id: string }[]).map((h) => `${h.kind}:${h.id}`).sort();
  const everything = (c: County) => [
    ...c.units.map((u) => `UNIT:${u}`),
    `OBSTACLE:${c.obstacleId}`,
    `ZONE:${c.zoneId}`,
    `MEETING:${c.meetingId}`,
    `COMMITMENT:${c.commitmentId}`,
  ];

  test("a county user finds its own county's units, cases, zones, meetings and promises only", async () => {
    expect(await hits('pakdasht')).toEqual(everything(world.pakdasht).sort());
  });

  test("a provincial user finds both Tehran counties', not Kashan's; a national user finds everything", async () => {
    expect(await hits('tehran')).toEqual([...everything(world.pakdasht), ...everything(world.islamshahr)].sort());
    expect(await hits('nation')).toEqual([...everything(world.pakdasht), ...everything(world.islamshahr), ...everything(world.kashan)].sort());
  });

  test("an agency user finds its cases, their units and its place's zones; no meeting, promise or other unit", async () => {
    const p = world.pakdasht;
    expect(await hits('pakdashtBank')).toEqual([`UNIT:${p.units[0]}`, `OBSTACLE:${p.obstacleId}`, `ZONE:${p.zoneId}`].sort());
    // The provincial office: its case in Islamshahr and that case's unit; the zones of its whole province.
    const i = world.islamshahr;
    expect(await hits('tehranSmt')).toEqual([`UNIT:${i.units[0]}`, `OBSTACLE:${i.obstacleId}`, `ZONE:${i.zoneId}`, `ZONE:${p.zoneId}`].sort());
    expect(await hits('unregistered')).toEqual([]);
  });
});

describe(`search: the bound of ${SEARCH_CANDIDATES} newest matches counts only what the caller may read`, () => {
  let older: string;
  beforeAll(async () => {
    const word = 'ورق‌کاری';
    const unit = async (place: Place, n: number) =>
      (await s.t.ok(REGISTER_UNIT, { input: kharazmiUnit({ ...place, name: `کارگاه ${n}`, nationalId: String(nationalId++) }) })).registerUnit.unit.id as string;
    const pakdashtUnit = await unit(PAKDASHT, 1);
    older = (await s.t.ok(RAISE_OBSTACLE, { input: { unitId: pakdashtUnit, title: `کمبود ${word} پاکدشت`, category: 'CUSTOMS' } })).raiseObstacle.obstacle.id;
    const kashanUnit = await unit(KASHAN, 2);
    // More newer matches in Kashan than the bound: before the scope was inside the bound, they crowded Pakdasht's case out.
    for (let n = 0; n < SEARCH_CANDIDATES; n++) await s.t.ok(RAISE_OBSTACLE, { input: { unitId: kashanUnit, title: `کمبود ${word} کاشان ${n + 1}`, category: 'CUSTOMS' } });
    await s.t.app.runtime.waitForPosition(await s.t.app.store.headPosition(), 30_000);
  }, 120_000);

  test("a county user finds its county's older case; a national user's bound is the newest matches of all", async () => {
    const text = 'کمبود ورق‌کاری';
    expect((await read('pakdasht', SEARCH_TEXT, { text })).search).toEqual([{ kind: 'OBSTACLE', id: older }]);
    expect((await read('tehran', SEARCH_TEXT, { text })).search).toEqual([{ kind: 'OBSTACLE', id: older }]);
    const national = (await read('nation', SEARCH_TEXT, { text })).search as { id: string }[];
    expect(national).toHaveLength(100);
    expect(national.map((h) => h.id)).not.toContain(older);
  });
});

/**
 * Analytics over a range of Jalali months (`fromMonth`, `toMonth`): a chart of
 * the last year reads the last year, however long the history. Fourteen months
 * of cases and revivals in two counties, written through the API with a moving
 * clock; every range's answer must be exactly the whole period's answer cut to
 * that range.
 */
import { CHANGE_STATUS, RAISE_OBSTACLE, REGISTER_UNIT, kharazmiUnit } from './operations';
import { startTestApp, type TestApp } from '../support/app';
import { jalaliMonthKey } from '../../src/calendar/jalali';

let t: TestApp;
let clock = new Date('2024-03-25T08:00:00Z'); // 5 Farvardin 1403
const months: string[] = [];

const CATEGORIES = `query ($county: String, $fromMonth: String, $toMonth: String) {
  obstacleCategories(county: $county, fromMonth: $fromMonth, toMonth: $toMonth) { jalaliMonth category raised resolved } }`;
const DASHBOARD = `query ($county: String!, $fromMonth: String, $toMonth: String) {
  countyDashboard(county: $county, fromMonth: $fromMonth, toMonth: $toMonth) { county totalUnits byStatus { status units } revivals { jalaliMonth fromStatus revivals } } }`;

beforeAll(async () => {
  t = await startTestApp({ now: () => clock });
  const unitIn = async (county: string, n: number) =>
    (await t.ok(REGISTER_UNIT, { input: kharazmiUnit({ county, nationalId: String(10600000000 + n), name: `واحد ماهانه ${n}` }) })).registerUnit.unit.id as string;
  const pakdasht = await unitIn('پاکدشت', 1);
  const varamin = await unitIn('ورامین', 2);
  for (let m = 0; m < 14; m++) {
    clock = new Date(Date.UTC(2024, 2 + m, 25, 8));
    months.push(jalaliMonthKey(clock));
    await t.ok(RAISE_OBSTACLE, { input: { unitId: pakdasht, title: `بدهی بانکی ماه ${m + 1}`, category: 'BANKING', priority: 'HIGH' } });
    await t.ok(RAISE_OBSTACLE, { input: { unitId: varamin, title: `قطعی برق ماه ${m + 1}`, category: 'UTILITIES', priority: 'NORMAL' } });
    // A revival in Pakdasht every month: idle, then active again.
    await t.ok(CHANGE_STATUS, { input: { unitId: pakdasht, status: 'INACTIVE', reason: `توقف تولید ماه ${m + 1}` } });
    await t.ok(CHANGE_STATUS, { input: { unitId: pakdasht, status: 'ACTIVE', reason: `بازگشت به تولید ماه ${m + 1}` } });
  }
  await t.app.runtime.waitForPosition(await t.app.store.headPosition(), 10_000);
}, 60_000);
afterAll(() => t?.close());

const within = (from: string | null, to: string | null) => (row: { jalaliMonth: string }) =>
  (from === null || row.jalaliMonth >= from) && (to === null || row.jalaliMonth <= to);

describe('obstacles per category and month', () => {
  test('the whole period has every month of both counties', async () => {
    const { obstacleCategories } = await t.ok(CATEGORIES, {});
    expect(obstacleCategories).toHaveLength(28);
    expect(new Set(obstacleCategories.map((r: { jalaliMonth: string }) => r.jalaliMonth))).toEqual(new Set(months));
  });

  test.each<[string, string | null, string | null, string | null]>([
    ['a year, the whole country', null, '1403-03', '1404-02'],
    ['a year, one county', 'ورامین', '1403-03', '1404-02'],
    ['one month', 'پاکدشت', '1403-07', '1403-07'],
    ['from a month on', null, '1403-11', null],
    ['up to a month', 'پاکدشت', null, '1403-02'],
    ['a range before the history', null, '1390-01', '1402-12'],
    ['a range whose end comes before its start', null, '1403-08', '1403-04'],
  ])('%s: the whole answer cut to the range', async (_, county, fromMonth, toMonth) => {
    const whole = (await t.ok(CATEGORIES, { county })).obstacleCategories;
    const ranged = (await t.ok(CATEGORIES, { county, fromMonth, toMonth })).obstacleCategories;
    expect(ranged).toEqual(whole.filter(within(fromMonth, toMonth)));
  });

  test('a year is twelve months, each with its cases', async () => {
    const { obstacleCategories } = await t.ok(CATEGORIES, { fromMonth: '1403-03', toMonth: '1404-02' });
    expect(obstacleCategories).toHaveLength(24);
    expect(obstacleCategories.filter((r: { category: string }) => r.category === 'BANKING').every((r: { raised: number }) => r.raised === 1)).toBe(true);
  });
});

describe('a county dashboard', () => {
  test('revivals within the range; the units by status are now, whatever the range', async () => {
    const whole = (await t.ok(DASHBOARD, { county: 'پاکدشت' })).countyDashboard;
    expect(whole.revivals).toHaveLength(14);
    const year = (await t.ok(DASHBOARD, { county: 'پاکدشت', fromMonth: '1403-03', toMonth: '1404-02' })).countyDashboard;
    expect(year.revivals).toEqual(whole.revivals.filter(within('1403-03', '1404-02')));
    expect(year.revivals).toHaveLength(12);
    expect(year.byStatus).toEqual(whole.byStatus);
    expect(year.totalUnits).toBe(whole.totalUnits);
  });
});

test.each([
  ['obstacleCategories', 'fromMonth', `{ obstacleCategories(fromMonth: "1403/01") { jalaliMonth } }`],
  ['obstacleCategories', 'toMonth', `{ obstacleCategories(toMonth: "1403-13") { jalaliMonth } }`],
  ['countyDashboard', 'fromMonth', `{ countyDashboard(county: "پاکدشت", fromMonth: "2024-03") { county } }`],
])('%s with a %s that is not a Jalali month is BAD_USER_INPUT naming it', async (_, field, query) => {
  const { errors } = await t.exec(query);
  expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(JSON.stringify(errors?.[0])).toContain(field);
});

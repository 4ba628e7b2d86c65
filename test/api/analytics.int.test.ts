/** The shipped analytics over the seeded scenarios, with a fixed clock. */
import { seedScenarios } from '../../src/seed/scenarios';
import { startTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: () => new Date('2025-01-10T08:00:00Z') });
  await seedScenarios(t.app);
  await t.app.runtime.waitForPosition(await t.app.store.headPosition(), 10_000);
});
afterAll(async () => {
  await t.close();
});

test('county dashboard: units by status and the revival of Kia Ofogh Paydar in Dey 1403', async () => {
  const { countyDashboard } = await t.ok(`{ countyDashboard(county: "پاکدشت") { county totalUnits byStatus { status units } revivals { jalaliMonth fromStatus revivals } } }`);
  expect(countyDashboard).toEqual({
    county: 'پاکدشت',
    totalUnits: 4,
    byStatus: [
      { status: 'ACTIVE', units: 2 },
      { status: 'INACTIVE', units: 1 },
      { status: 'SEMI_ACTIVE', units: 1 },
    ],
    revivals: [{ jalaliMonth: '1403-10', fromStatus: 'SEMI_ACTIVE', revivals: 1 }],
  });
});

test('agency performance: the bank implemented on time; the shoe-city resolution is not due yet', async () => {
  const { agencyPerformance } = await t.ok(`{ agencyPerformance { agency jalaliMonth due implementedOnTime implementedLate overdue objected noAction medianDaysToImplement } }`);
  expect(agencyPerformance).toEqual(
    expect.arrayContaining([
      { agency: 'بانک ملی', jalaliMonth: '1403-09', due: 1, implementedOnTime: 1, implementedLate: 0, overdue: 0, objected: 0, noAction: 0, medianDaysToImplement: 17.9 },
      expect.objectContaining({ agency: 'سازمان صنعت، معدن و تجارت استان تهران', jalaliMonth: '1403-12', due: 1, overdue: 0 }),
    ]),
  );
  const bad = await t.exec(`{ agencyPerformance(fromMonth: "1403/09") { agency } }`);
  expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
});

test('obstacle categories per Jalali month', async () => {
  const { obstacleCategories } = await t.ok(`{ obstacleCategories(county: "پاکدشت") { jalaliMonth category raised resolved } }`);
  // The bank case was raised and closed in Azar 1403 (its resolution was carried out).
  expect(obstacleCategories).toEqual([
    { jalaliMonth: '1403-09', category: 'BANKING', raised: 1, resolved: 1 },
    { jalaliMonth: '1403-09', category: 'SOCIAL_SECURITY', raised: 1, resolved: 0 },
    { jalaliMonth: '1403-09', category: 'UTILITIES', raised: 1, resolved: 0 },
  ]);
});

test('promises kept versus broken: the municipality kept its promise; the deputy’s are open, some overdue', async () => {
  const { commitmentScorecard } = await t.ok(`{ commitmentScorecard(county: "اسلامشهر") { madeBy kept keptOnTime broken open overdue } }`);
  expect(commitmentScorecard).toEqual([
    { madeBy: 'حشمت الله عسگری، معاون اقتصادی استاندار تهران', kept: 0, keptOnTime: 0, broken: 0, open: 3, overdue: 1 },
    { madeBy: 'شهرداری اسلامشهر', kept: 1, keptOnTime: 1, broken: 0, open: 0, overdue: 0 },
  ]);
});

test('units list by zone and by sector, with their open-obstacle counts', async () => {
  const { zones } = await t.ok(`{ zones(kind: INDUSTRIAL_PARK) { edges { node { id name } } } }`);
  const kharazmi = zones.edges.find((e: any) => e.node.name === 'شهرک صنعتی خوارزمی').node.id;
  const inPark = (await t.ok(`query ($z: ID) { units(zoneId: $z) { totalCount edges { node { name openObstacleCount } } } }`, { z: kharazmi })).units;
  expect(inPark.totalCount).toBe(4);
  expect(inPark.edges.find((e: any) => e.node.name === 'ابتکار پلاستیک').node.openObstacleCount).toBe(1);
  expect((await t.ok(`{ units(sector: "کفش ماشینی") { edges { node { name } } } }`)).units.edges).toEqual([{ node: { name: 'تولیدی کفش ماشینی چهاردانگه' } }]);
});

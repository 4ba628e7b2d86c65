/** Search as Persian users type: letter variants, ZWNJ, digits and partial words all find the record. */
import { startTestApp, type TestApp } from '../support/app';
import { RAISE_OBSTACLE, REGISTER_UNIT, SCHEDULE_MEETING, kharazmiUnit, pakdashtMeeting } from './operations';

let t: TestApp;
let units: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  const register = async (name: string, nationalId: string, location: string) =>
    (await t.ok(REGISTER_UNIT, { input: kharazmiUnit({ name, nationalId, location }) })).registerUnit.unit.id as string;
  units = {
    kia: await register('کیا افق پایدار', '10100000001', 'شهرک‌صنعتی خوارزمی'),
    plastic: await register('ابتکار پلاستیک', '10100000003', 'شهرک صنعتی خوارزمی'),
    shoe: await register('تولیدی کفش ماشینی چهاردانگه', '10100000005', 'لکه صنعتی چهاردانگه'),
  };
  await t.ok(RAISE_OBSTACLE, { input: { unitId: units.plastic, title: 'بدهی معوق بیمه تامین اجتماعی', description: 'جریمه ۱۲۰ میلیونی', category: 'SOCIAL_SECURITY' } });
  await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting() });
});
afterAll(async () => {
  await t.close();
});

const search = async (text: string, kinds?: string[]) =>
  (await t.ok(`query ($text: String!, $kinds: [SearchKind!]) { search(text: $text, kinds: $kinds) { kind id title } }`, { text, kinds })).search as {
    kind: string;
    id: string;
    title: string;
  }[];

test.each([
  ['Persian spelling', 'کیا افق', 'کیا افق پایدار'],
  ['Arabic ي and ك', 'كيا افق', 'کیا افق پایدار'],
  ['a partial word', 'پلاست', 'ابتکار پلاستیک'],
  ['Arabic letters in the middle of a word', 'تولیدي كفش', 'تولیدی کفش ماشینی چهاردانگه'],
])('%s finds the unit', async (_case, text, name) => {
  const hits = await search(text, ['UNIT']);
  expect(hits.map((h) => h.title)).toContain(name);
});

test('a zero-width non-joiner and a space are the same to search', async () => {
  const joined = (await search('شهرک‌صنعتی خوارزمی', ['UNIT'])).map((h) => h.id).sort();
  const spaced = (await search('شهرک صنعتی خوارزمی', ['UNIT'])).map((h) => h.id).sort();
  expect(joined).toEqual([units.kia, units.plastic].sort());
  expect(spaced).toEqual(joined);
});

test('Persian and ASCII digits match each other', async () => {
  expect((await search('120 میلیونی')).map((h) => h.kind)).toEqual(['OBSTACLE']);
  expect((await search('۱۰۱۰۰۰۰۰۰۰۵')).map((h) => h.id)).toEqual([units.shoe]);
});

test('search spans kinds and can be narrowed', async () => {
  const all = await search('پاکدشت');
  expect(new Set(all.map((h) => h.kind))).toEqual(new Set(['UNIT', 'OBSTACLE', 'MEETING']));
  expect((await search('پاکدشت', ['MEETING'])).map((h) => h.kind)).toEqual(['MEETING']);
});

test('operators and punctuation in the text are just text', async () => {
  expect(await search('"OR" NEAR(*) -')).toEqual([]);
  const { errors } = await t.exec(`{ search(text: "   ") { id } }`);
  expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
});

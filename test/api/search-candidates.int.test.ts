/**
 * A common word costs what a rare one does: search scores only the latest
 * SEARCH_CANDIDATES items that match (of the kinds asked for), so an old item
 * that matches only a word a thousand newer items also match is reached by
 * adding words, or by narrowing the kinds.
 */
import { SEARCH_CANDIDATES } from '../../projections/search';
import { startTestApp, type TestApp } from '../support/app';
import { RAISE_OBSTACLE, REGISTER_UNIT, kharazmiUnit } from './operations';

let t: TestApp;
let sepahan: string;
let mobarakeh: string;

beforeAll(async () => {
  t = await startTestApp();
  const register = async (name: string, nationalId: string) => (await t.ok(REGISTER_UNIT, { input: kharazmiUnit({ name, nationalId }) })).registerUnit.unit.id as string;
  sepahan = await register('فولاد سپاهان', '10200000001');
  const workshop = await register('کارگاه ورق‌کاری', '10200000002');
  for (let i = 0; i < SEARCH_CANDIDATES; i++) {
    await t.ok(RAISE_OBSTACLE, { input: { unitId: workshop, title: `کمبود ورق فولاد، محموله ${i + 1}`, category: 'CUSTOMS' } });
  }
  mobarakeh = await register('فولاد مبارکه', '10200000003');
  await t.app.runtime.waitForPosition(await t.app.store.headPosition(), 30_000);
}, 120_000);
afterAll(() => t?.close());

const search = async (text: string, options: { kinds?: string[]; first?: number } = {}) =>
  (await t.ok(`query ($text: String!, $kinds: [SearchKind!], $first: Int!) { search(text: $text, kinds: $kinds, first: $first) { kind id title } }`, { text, kinds: options.kinds, first: options.first ?? 100 }))
    .search as { kind: string; id: string; title: string }[];

test(`a word more than ${SEARCH_CANDIDATES} items share ranks the latest ${SEARCH_CANDIDATES} of them`, async () => {
  const hits = await search('فولاد');
  expect(hits).toHaveLength(100);
  // A word nearly every item holds scores about the same everywhere (bm25's IDF is near zero), so
  // ties go oldest first: without the bound the oldest unit and the first case would lead. The
  // latest thousand matches are the newest unit and cases 2 to 1,000.
  expect(hits[0]!.title).toBe('کمبود ورق فولاد، محموله 2');
  expect(hits.map((h) => h.id)).not.toContain(sepahan);
  expect(hits.map((h) => h.title)).not.toContain('کمبود ورق فولاد، محموله 1');
});

test('more words reach an older item', async () => {
  expect((await search('فولاد سپاهان')).map((h) => h.id)).toEqual([sepahan]);
  expect((await search('فولاد مبارکه')).map((h) => h.id)).toEqual([mobarakeh]);
});

test('the kinds narrow the candidates, not the ranked page: both units of the word are found', async () => {
  expect((await search('فولاد', { kinds: ['UNIT'] })).map((h) => h.id).sort()).toEqual([sepahan, mobarakeh].sort());
});

/** docs/projections.md walks through a real file: the page and the file must not drift apart, and the example works. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedScenarios } from '../../src/seed/scenarios';
import { csvLine } from '../../src/ops/csv';
import { exportCsv } from '../../src/ops/projections-cli';
import { startTestApp } from '../support/app';

const root = join(__dirname, '..', '..');
const page = readFileSync(join(root, 'docs', 'projections.md'), 'utf8');

test('the worked example on the page is the shipped file, to the letter', () => {
  const example = /```ts\n([\s\S]*?)```/.exec(page)![1]!;
  expect(example).toBe(readFileSync(join(root, 'projections', 'commitment-scorecard.ts'), 'utf8'));
});

test('the example runs: its table fills from the seed, its query answers, and it exports as CSV', async () => {
  const t = await startTestApp({ now: () => new Date('2025-01-10T08:00:00Z') });
  await seedScenarios(t.app);
  await t.app.runtime.waitForPosition(await t.app.store.headPosition(), 10_000);
  const rows = t.app.runtime.reader('commitment-scorecard').prepare(`SELECT made_to, status FROM scorecard_commitments ORDER BY status`).all();
  expect(rows).toHaveLength(4);
  expect(rows).toContainEqual({ made_to: 'تولیدکنندگان کفش اسلامشهر', status: 'KEPT' });

  const chunks: string[] = [];
  const sink = { write: (c: string) => (chunks.push(c), true), once: () => undefined } as unknown as NodeJS.WritableStream;
  expect(await exportCsv(t.dataDir, 'commitment-scorecard', 'scorecard_commitments', sink)).toBe(4);
  const csv = chunks.join('');
  expect(csv.split('\r\n')[0]).toBe('commitment_id,province,county,made_by,made_to,original_due_date,due_date,status,settled_at');
  expect(csv).toContain('حشمت الله عسگری، معاون اقتصادی استاندار تهران'); // Persian text as UTF-8, unescaped
  expect(csvLine(['a,b', 'say "hi"', 'two\nlines', null, 12])).toBe('"a,b","say ""hi""","two\nlines",,12\r\n');
  await t.close();
});

test('every shipped projection is listed on the page', () => {
  const result = spawnSync('ls', [join(root, 'projections')], { encoding: 'utf8' });
  for (const file of result.stdout.trim().split('\n')) expect(page).toContain(`\`${file.replace(/\.ts$/, '')}\``);
});

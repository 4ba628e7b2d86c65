/** A short soak inside the test run: mixed load on a real server gives no unexpected error and samples its memory. */
import { soak } from './soak';

test('twenty seconds of mixed load with live subscribers: no unexpected errors, and the report has its samples', async () => {
  const { samples, unexpected, subscriptionUpdates } = await soak(20 / 60, 4, 4);
  expect(subscriptionUpdates).toBeGreaterThan(0);
  expect(unexpected).toEqual([]);
  expect(samples.length).toBeGreaterThanOrEqual(3);
  expect(samples.at(-1)!.requests).toBeGreaterThan(20);
  expect(samples.every((s) => s.rssMiB > 0)).toBe(true);
}, 90_000);

/** A subscriber's feed: updates in order, never more than its limit held, and ending removes it once. */
import { Feed } from '../../src/subscriptions/live-updates';

const feed = (limit = 3) => {
  const calls = { overflow: 0, end: 0 };
  const f = new Feed<number>(limit, () => calls.overflow++, () => calls.end++);
  return { f, calls };
};

test('hands out updates in the order they came, to a waiting taker at once', async () => {
  const { f } = feed();
  const waiting = f.next();
  f.push(1);
  f.push(2);
  f.push(3);
  expect(await waiting).toEqual({ value: 1, done: false });
  expect(await f.next()).toEqual({ value: 2, done: false });
  expect(await f.next()).toEqual({ value: 3, done: false });
});

test('one update more than the limit untaken: the feed ends, drops what it held and says so once', async () => {
  const { f, calls } = feed(3);
  for (const n of [1, 2, 3]) f.push(n);
  expect(f.pending).toBe(3);
  expect(calls.overflow).toBe(0);
  f.push(4);
  expect(calls).toEqual({ overflow: 1, end: 1 });
  expect(f.pending).toBe(0);
  f.push(5);
  expect(await f.next()).toEqual({ value: undefined, done: true });
  expect(calls).toEqual({ overflow: 1, end: 1 });
});

test('return() ends a waiting taker and removes the listener once, however often it is called', async () => {
  const { f, calls } = feed();
  const waiting = f.next();
  await f.return();
  await f.return();
  expect(await waiting).toEqual({ value: undefined, done: true });
  expect(calls).toEqual({ overflow: 0, end: 1 });
});

/**
 * Limits over WebSocket. A consumer that stops reading is cut off once one of its subscriptions
 * falls `TASHIL_SUBSCRIPTION_QUEUE_LIMIT` (5 here) updates behind, with
 * close code 1013, instead of the server queueing for it without bound; the
 * other subscribers keep receiving everything. A subscription is a request
 * of its actor for the rate limit, as a query over HTTP is.
 */
import WebSocket from 'ws';
import { kharazmiUnit, RAISE_OBSTACLE, REGISTER_UNIT } from '../api/operations';
import { eventually, startLiveServer, subscribe, type LiveServer } from '../support/live';

let s: LiveServer;
beforeAll(async () => {
  s = await startLiveServer({ env: { TASHIL_SUBSCRIPTION_QUEUE_LIMIT: '5' } });
});
afterAll(async () => {
  await s.close();
});

/** Big updates, so that the socket's buffers fill after a few of them. */
const HEAVY = `subscription { obstacleChanged { ${Array.from({ length: 19 }, (_, i) => `d${i}: description`).join(' ')} } }`;
const SUBSCRIPTIONS = 10;

/** A bare graphql-transport-ws client whose socket can be paused. */
const rawClient = async (token: string): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> => {
  const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws');
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const acked = new Promise((resolve) => ws.once('message', resolve));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  expect(JSON.parse(String(await acked))).toEqual({ type: 'connection_ack' });
  return { ws, closed };
};

test('a paused consumer is closed with 1013 while the others receive every update', async () => {
  const unitId = (await s.ok(REGISTER_UNIT, { input: kharazmiUnit() })).registerUnit.unit.id;
  const healthy = subscribe(s.client(), `subscription { obstacleChanged { id } }`);
  const slow = await rawClient(await s.token());
  for (let i = 0; i < SUBSCRIPTIONS; i++) slow.ws.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: HEAVY } }));
  await eventually(() => s.t.app.live.listenerCount === SUBSCRIPTIONS + 1, 'all subscribed');
  slow.ws.pause();

  let raised = 0;
  while (s.t.app.live.listenerCount > 1) {
    if (raised >= 300) throw new Error('the paused consumer was never cut off');
    await s.ok(RAISE_OBSTACLE, { input: { unitId, title: `مانع ${raised}`, category: 'BANKING', description: 'ش'.repeat(5000) } });
    raised++;
  }
  // Only the healthy subscriber is left; it got every update, in order, meanwhile.
  const all = await healthy.nth(raised);
  expect(all.data!.obstacleChanged.id).toBeDefined();
  expect(healthy.results).toHaveLength(raised);

  slow.ws.resume();
  expect(await slow.closed).toMatchObject({ code: 1013, reason: expect.stringMatching(/fell more than 5 updates behind/) });
  expect(s.t.app.live.listenerCount).toBe(1);
  healthy.unsubscribe();
  await eventually(() => s.t.app.live.listenerCount === 0, 'nothing listening');
});

test('each subscription counts as one request of its actor against the rate limit (RATE_LIMITED with Retry-After seconds)', async () => {
  const limited = await startLiveServer({ env: { TASHIL_RATE_LIMIT_PER_MINUTE: '3' } });
  try {
    const client = limited.client({ role: 'VIEWER' });
    const allowed = [1, 2, 3].map(() => subscribe(client, `subscription { meetingChanged { id } }`));
    await eventually(() => limited.t.app.live.listenerCount === 3, 'three subscribed');
    const refused = subscribe(client, `subscription { meetingChanged { id } }`);
    expect(((await refused.ended) as any[])[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) } });
    // Another actor has its own allowance, as over HTTP.
    const other = subscribe(limited.client({ role: 'ANALYST' }), `subscription { meetingChanged { id } }`);
    await eventually(() => limited.t.app.live.listenerCount === 4, 'another actor subscribed');
    for (const sub of [...allowed, other]) sub.unsubscribe();
  } finally {
    await limited.close();
  }
});

test('without introspection, a mistyped field gets no "did you mean" hint over WebSocket either', async () => {
  const typo = `subscription { obstacleChanged { titel } }`;
  const [hinted] = (await subscribe(s.client(), typo).ended) as any[];
  expect(hinted.message).toMatch(/Did you mean "title"/);
  const closed = await startLiveServer({ env: { TASHIL_INTROSPECTION: 'false' } });
  try {
    const [error] = (await subscribe(closed.client(), typo).ended) as any[];
    expect(error).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' }, message: expect.stringMatching(/Cannot query field "titel"/) });
    expect(error.message).not.toMatch(/Did you mean/);
  } finally {
    await closed.close();
  }
});

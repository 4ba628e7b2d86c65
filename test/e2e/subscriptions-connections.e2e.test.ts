/**
 * A bound on WebSocket connections (`TASHIL_MAX_WEBSOCKET_CONNECTIONS`, 2 here):
 * a socket holds memory and a file descriptor before it signs in, so beyond
 * the bound an upgrade is refused with 503 and Retry-After, counted in
 * `/metrics`, while the open connections keep working; a closed one frees its place.
 */
import WebSocket from 'ws';
import { kharazmiUnit, RAISE_OBSTACLE, REGISTER_UNIT } from '../api/operations';
import { eventually, startLiveServer, subscribe, type LiveServer } from '../support/live';

let s: LiveServer;
beforeAll(async () => {
  s = await startLiveServer({ env: { TASHIL_MAX_WEBSOCKET_CONNECTIONS: '2' } });
});
afterAll(async () => {
  await s.close();
});

/** Opens a socket; resolves with it once open, or with the HTTP status of a refused upgrade. */
const connect = (): Promise<{ ws: WebSocket } | { refused: number; retryAfter: string | undefined }> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws');
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_request, response) => resolve({ refused: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }));
    ws.once('error', reject);
  });

const closed = (ws: WebSocket): Promise<void> =>
  new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    ws.once('close', () => resolve());
    ws.close();
  });

test('beyond the bound an upgrade is refused with 503 while the open connections keep receiving, and a closed one frees its place', async () => {
  const unitId = (await s.ok(REGISTER_UNIT, { input: kharazmiUnit() })).registerUnit.unit.id;
  const first = subscribe(s.client(), `subscription { obstacleChanged { title } }`);
  await eventually(() => s.t.app.live.listenerCount === 1, 'the first client subscribed');
  const idle = await connect();
  if (!('ws' in idle)) throw new Error(`the second connection was refused: ${JSON.stringify(idle)}`);

  expect(await connect()).toEqual({ refused: 503, retryAfter: '5' });
  const metrics = await (await fetch(s.http.url.replace(/\/graphql$/, '/metrics'), { headers: { authorization: `Bearer ${await s.token()}` } })).text();
  expect(metrics).toMatch(/^tashil_websocket_refused_total 1$/m);
  // A graphql-ws client beyond the bound ends with an error instead of hanging.
  const refused = subscribe(s.client(), `subscription { obstacleChanged { title } }`);
  expect(await refused.ended).not.toBe('complete');

  // The connection already open is untouched.
  await s.ok(RAISE_OBSTACLE, { input: { unitId, title: 'قطعی برق', category: 'UTILITIES' } });
  expect((await first.nth(1)).data).toEqual({ obstacleChanged: { title: 'قطعی برق' } });

  await closed(idle.ws);
  await eventually(async () => {
    const again = await connect();
    if ('ws' in again) await closed(again.ws);
    return 'ws' in again;
  }, 'a place is free again');
});

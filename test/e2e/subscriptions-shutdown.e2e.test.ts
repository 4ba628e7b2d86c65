/**
 * The real server process: a subscriber receives over graphql-ws, and SIGTERM
 * closes its connection with 1001 (going away) before the process exits 0.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { kharazmiUnit, RAISE_OBSTACLE, REGISTER_UNIT } from '../api/operations';
import { tempDir } from '../support/app';
import { eventually, subscribe } from '../support/live';
import { killAllServers, metricsRequest, startServer, tokenFor } from '../support/server-process';

afterEach(async () => {
  await killAllServers();
});

test('SIGTERM closes the subscribers with 1001 and exits 0', async () => {
  const server = await startServer({ dataDir: tempDir() });
  const openSubscriptions = async () => Number(/^tashil_subscriptions_open (\d+)/m.exec((await server.request('/metrics', await metricsRequest())).text)?.[1]);
  const closes: number[] = [];
  const client = createClient({
    url: server.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: async () => ({ authorization: `Bearer ${await tokenFor({ subject: 'viewer-1', roles: ['VIEWER'] })}` }),
    retryAttempts: 0,
    on: { closed: (event: any) => closes.push(event.code) },
  });
  const updates = subscribe(client, `subscription PakdashtCases { obstacleChanged(county: "پاکدشت") { title status } }`);
  await eventually(async () => (await openSubscriptions()) === 1, 'the subscription is open on the server');

  const unit = await server.gql(REGISTER_UNIT, { input: kharazmiUnit() });
  await server.gql(RAISE_OBSTACLE, { input: { unitId: unit.body.data.registerUnit.unit.id, title: 'قطعی گاز', category: 'UTILITIES' } });
  expect((await updates.nth(1)).data).toEqual({ obstacleChanged: { title: 'قطعی گاز', status: 'OPEN' } });

  expect(await server.stop()).toBe(0);
  expect(await updates.ended).toMatchObject({ code: 1001 });
  expect(closes).toEqual([1001]);
  expect(server.logLines().some((l) => l.msg === 'subscription started' && l.operation === 'PakdashtCases' && l.actor === 'viewer-1')).toBe(true);
  expect(server.logLines().some((l) => l.msg === 'websocket closed' && l.code === 1001 && l.actor === 'viewer-1')).toBe(true);
  expect(server.stderr()).toBe('');
  await client.dispose();
});

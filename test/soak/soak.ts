/**
 * `npm run soak -- --minutes N`: a real server process under mixed load (writes,
 * reads, history and audit queries) for N minutes; every 10 s it samples
 * throughput, errors and the server's RSS, and at the end prints a table and
 * whether memory stayed flat (last third vs first third of the samples).
 * Live subscribers follow the obstacles over graphql-ws meanwhile, leaving
 * and coming back every few seconds. Traffic goes to 127.0.0.1 only; every
 * loop is bounded by the clock.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RAISE_OBSTACLE, RECORD_PROGRESS, REFER_OBSTACLE, REGISTER_UNIT, UNIT_WITH_HISTORY, kharazmiUnit } from '../api/operations';
import { startServer } from '../support/server-process';
import { liveSubscribers } from './live-subscribers';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!(value > 0)) throw new Error(`--${name} must be a positive number`);
  return value;
};

const rssOf = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
};

export interface SoakSample {
  atSeconds: number;
  requests: number;
  errors: number;
  requestsPerSecond: number;
  rssMiB: number;
}

export const soak = async (
  minutes: number,
  sampleSeconds = 10,
  concurrency = 8,
): Promise<{ samples: SoakSample[]; unexpected: string[]; flat: boolean; subscriptionUpdates: number }> => {
  // The per-actor rate limit protects production; a soak measures the server behind it.
  const server = await startServer({ dataDir: mkdtempSync(join(tmpdir(), 'tashil-soak-')), env: { TASHIL_RATE_LIMIT_PER_MINUTE: '1000000' } });
  const end = Date.now() + minutes * 60_000;
  const samples: SoakSample[] = [];
  const unexpected: string[] = [];
  let requests = 0;
  let errors = 0;
  let nationalId = 10500000000;
  const units: string[] = [];
  const obstacles: string[] = [];
  const started = Date.now();
  const live = liveSubscribers(server, end);

  const one = async (i: number): Promise<void> => {
    const roll = i % 10;
    let r;
    if (units.length < 5 || roll === 0) {
      r = await server.gql(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: String(nationalId++), name: `واحد آزمون ${nationalId}` }) });
      if (!r.body.errors) units.push(r.body.data.registerUnit.unit.id);
    } else if (roll < 4) {
      r = await server.gql(RAISE_OBSTACLE, { input: { unitId: units[i % units.length], title: `مانع ${i}`, category: 'BANKING' } });
      if (!r.body.errors) obstacles.push(r.body.data.raiseObstacle.obstacle.id);
    } else if (roll < 6 && obstacles.length > 0) {
      const obstacleId = obstacles[i % obstacles.length];
      r = await server.gql(i % 2 ? RECORD_PROGRESS : REFER_OBSTACLE, {
        input: i % 2 ? { obstacleId, note: 'پیگیری' } : { obstacleId, leadAgency: 'بانک ملی', deadline: '2031-01-01T00:00:00Z' },
      });
    } else if (roll < 8) {
      r = await server.gql(UNIT_WITH_HISTORY, { id: units[i % units.length] });
    } else {
      r = await server.gql(`{ obstacles(first: 50) { totalCount edges { node { id status } } } }`);
    }
    requests++;
    const code = r.body.errors?.[0]?.extensions?.code;
    if (code) {
      errors++;
      // Refused transitions are expected under random load; anything else is a finding.
      if (!['INVALID_TRANSITION', 'CONFLICT'].includes(code) && unexpected.length < 20) unexpected.push(JSON.stringify(r.body.errors[0]));
    }
  };

  let counter = 0;
  let lastRequests = 0;
  let lastAt = Date.now();
  const sampler = setInterval(() => {
    const now = Date.now();
    samples.push({
      atSeconds: Math.round((now - started) / 1000),
      requests,
      errors,
      requestsPerSecond: Math.round(((requests - lastRequests) * 1000) / (now - lastAt)),
      rssMiB: Math.round((rssOf(server.pid) / 1024 / 1024) * 10) / 10,
    });
    lastRequests = requests;
    lastAt = now;
  }, sampleSeconds * 1000);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) await one(counter++);
    }),
  );
  clearInterval(sampler);
  await live.done;
  unexpected.push(...live.unexpected);
  await server.stop();
  const third = Math.max(1, Math.floor(samples.length / 3));
  const mean = (xs: SoakSample[]) => xs.reduce((a, s) => a + s.rssMiB, 0) / Math.max(1, xs.length);
  // Flat: the last third's mean RSS within 20 % of the first third's.
  const flat = samples.length < 3 || mean(samples.slice(-third)) <= mean(samples.slice(0, third)) * 1.2;
  return { samples, unexpected, flat, subscriptionUpdates: live.received };
};

if (require.main === module) {
  const minutes = arg('minutes', 5);
  soak(minutes, Math.min(10, minutes * 6)).then(({ samples, unexpected, flat, subscriptionUpdates }) => {
    process.stdout.write('| s | requests | errors | req/s | RSS MiB |\n|---|---|---|---|---|\n');
    for (const s of samples) process.stdout.write(`| ${s.atSeconds} | ${s.requests} | ${s.errors} | ${s.requestsPerSecond} | ${s.rssMiB} |\n`);
    process.stdout.write(`\nsubscription updates received: ${subscriptionUpdates}`);
    process.stdout.write(`\nmemory ${flat ? 'stayed flat' : 'GREW'}; unexpected errors: ${unexpected.length}\n${unexpected.join('\n')}\n`);
    process.exit(flat && unexpected.length === 0 ? 0 : 1);
  });
}

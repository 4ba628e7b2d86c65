/**
 * docker-compose.yml is parsed and validated by a real Compose (Debian's
 * docker-compose, which needs no engine), so a broken file fails the build.
 * `.ci/run` installs it; on a machine without it the test says so and skips.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const available = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
if (!available) {
  if (process.env.CI) throw new Error('docker-compose is missing: .ci/run installs it before the tests');
  process.stderr.write("docker-compose validation: SKIPPED — install Debian's docker-compose to check docker-compose.yml\n");
}
const maybe = available ? describe : describe.skip;

maybe('docker-compose.yml', () => {
  const compose = (...args: string[]): string =>
    execFileSync('docker-compose', ['-f', join(root, 'docker-compose.yml'), ...args], { cwd: root, encoding: 'utf8' });

  test('is valid with and without the cluster profile', () => {
    expect(() => compose('config', '-q')).not.toThrow();
    expect(() => compose('--profile', 'cluster', 'config', '-q')).not.toThrow();
  });

  test('runs one EventStoreDB node and the API against it, and a 3-node cluster with two API replicas behind nginx', () => {
    const services = compose('config', '--services').trim().split('\n').sort();
    expect(services).toEqual(['api', 'api-1', 'api-2', 'eventstore', 'eventstore-1', 'eventstore-2', 'eventstore-3', 'nginx']);
    const rendered = compose('config');
    expect(rendered).toMatch(/TASHIL_EVENT_STORE: esdb/);
    expect(rendered).toMatch(/EVENTSTORE_CONNECTION_STRING: esdb:\/\/eventstore:2113\?tls=false/);
    expect(rendered.match(/EVENTSTORE_CLUSTER_SIZE: '3'/g)).toHaveLength(3);
    expect(rendered.match(/profiles:\s*\n\s*- cluster/g)).toHaveLength(6);
    expect(rendered.match(/healthcheck:/g)!.length).toBeGreaterThanOrEqual(5);
    // Pinned images only: no floating `latest`.
    expect(rendered).not.toMatch(/image: [^\s]+:latest|image: [^\s:]+\s/);
  });
});

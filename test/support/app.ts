/** A real app on a real SQLite file in a fresh temp folder, driven through `executeOperation`. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, type App } from '../../src/app';
import type { Principal } from '../../src/auth/principal';
import { loadConfig } from '../../src/config';
import { silentLog, type Log } from '../../src/log';

export interface TestApp {
  app: App;
  dataDir: string;
  /** Runs an operation as `as` (default: an ADMIN named test-actor); returns the single result's data and errors. */
  exec<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, as?: Principal | null): Promise<{ data: T; errors?: any[] }>;
  /** Throws when the operation has errors. */
  ok<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, as?: Principal | null): Promise<T>;
  close(): Promise<void>;
}

export const ADMIN: Principal = { subject: 'test-actor', roles: ['ADMIN'], province: null, counties: [], agencyId: null };

export const tempDir = (prefix = 'tashil-'): string => mkdtempSync(join(tmpdir(), prefix));

export const startTestApp = async (
  /** `log`: receives the app's structured log lines (default: none kept). */
  options: { dataDir?: string; env?: Record<string, string>; now?: () => Date; log?: Log } = {},
): Promise<TestApp> => {
  const dataDir = options.dataDir ?? tempDir();
  const config = loadConfig({ TASHIL_DATA_DIR: dataDir, TASHIL_SQLITE_SYNCHRONOUS: 'NORMAL', ...options.env });
  const app = await openApp(config, { log: options.log ?? silentLog, ...(options.now ? { now: options.now } : {}) });
  const exec = async <T>(query: string, variables?: Record<string, unknown>, as: Principal | null = ADMIN) => {
    const response = await app.apollo.executeOperation({ query, variables }, { contextValue: app.context({ principal: as }) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    // Through JSON, as a client over HTTP would see it (dates as strings).
    const { data, errors } = JSON.parse(JSON.stringify(response.body.singleResult)) as { data: T; errors?: any[] };
    return { data, errors };
  };
  return {
    app,
    dataDir,
    exec,
    ok: async <T>(query: string, variables?: Record<string, unknown>, as?: Principal | null) => {
      const { data, errors } = await exec<T>(query, variables, as);
      if (errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(errors, null, 2)}`);
      return data;
    },
    close: async () => {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

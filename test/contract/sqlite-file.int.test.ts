import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract('sqlite (file)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tashil-contract-'));
  const store = createSqliteEventStore({ path: path.join(dir, 'events.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

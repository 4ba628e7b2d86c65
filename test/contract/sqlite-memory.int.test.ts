import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract('sqlite (:memory:)', async () => {
  const store = createSqliteEventStore({ path: ':memory:' });
  return { store, cleanup: () => store.close() };
});

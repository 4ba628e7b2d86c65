/**
 * Watches the statements run on a read-model connection: every `get`, `all`,
 * `iterate` or `run` of a statement prepared on the wrapped connection calls
 * `seen` first, with the SQL, its parameters and the real connection. Tests
 * wrap the readers the runtime hands out (`runtime.reader`) to count a
 * query's statements or ask SQLite for their plans.
 */
import type Database from 'better-sqlite3';

export type StatementSeen = (sql: string, params: unknown[], db: Database.Database) => void;

export const watchingStatements = (db: Database.Database, seen: StatementSeen): Database.Database =>
  new Proxy(db, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property !== 'prepare' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return (sql: string) => {
        const statement = target.prepare(sql);
        return new Proxy(statement, {
          get(s, p) {
            const member = Reflect.get(s, p, s) as unknown;
            if (typeof member !== 'function') return member;
            if (p === 'get' || p === 'all' || p === 'iterate' || p === 'run') {
              return (...params: unknown[]) => {
                seen(sql, params, target);
                return (member as (...a: unknown[]) => unknown).apply(s, params);
              };
            }
            return (member as (...a: unknown[]) => unknown).bind(s);
          },
        });
      };
    },
  });

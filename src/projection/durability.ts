/**
 * How far a projection file is trusted after the machine stops.
 *
 * Read models are derived: the store (synchronous=FULL) holds what was
 * acknowledged, and a read model can always be replayed from it. So projection
 * files are written with `synchronous=OFF`, which spares the fsyncs of every
 * write-ahead-log checkpoint (about a sixth of a mutation's time on the main
 * thread, see docs/performance.md). A process that crashes (even SIGKILL) loses
 * nothing that way: its writes are in the operating system's page cache. Only
 * a crash of the machine itself (power loss, kernel panic) may leave such a file
 * with some pages written and others not.
 *
 * That case is detected rather than hoped away. While a process writes a file,
 * the file carries a mark naming the machine's boot (`/proc/sys/kernel/random/boot_id`),
 * committed with an fsync before any unsynced write; a clean close syncs
 * everything and then marks the file clean. At start a file that is neither
 * clean nor from the current boot was being written when the machine went down:
 * it is deleted and replayed from the events. A restart after a process crash
 * (same boot) keeps its files. Where no boot id can be read (not Linux), files
 * are written with `synchronous=NORMAL` as before and no mark is kept.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';

const DURABILITY_DDL = `CREATE TABLE IF NOT EXISTS _durability (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  boot TEXT NOT NULL,
  clean INTEGER NOT NULL
)`;

let bootOfThisMachine: string | null | undefined;

/** This machine's boot id, or null where the system does not tell one. */
export const machineBoot = (): string | null => {
  if (bootOfThisMachine === undefined) {
    try {
      bootOfThisMachine = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootOfThisMachine = null;
    }
  }
  return bootOfThisMachine;
};

/**
 * False when `file` was left open by a process of an earlier boot of the machine
 * (or cannot be read at all): its last writes may never have reached the disk.
 * Files without a mark were written with `synchronous=NORMAL` and are trusted.
 */
export const survivedTheMachine = (file: string, boot: string | null): boolean => {
  if (!existsSync(file)) return true;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    if (db.prepare(`SELECT 1 FROM sqlite_master WHERE name = '_durability'`).get() === undefined) return true;
    const mark = db.prepare('SELECT boot, clean FROM _durability WHERE id = 1').get() as { boot: string; clean: number } | undefined;
    return mark === undefined || mark.clean === 1 || (boot !== null && mark.boot === boot);
  } catch {
    return false;
  } finally {
    db?.close();
  }
};

/**
 * Marks `writer`'s file in use by this boot, synced, then turns syncing off for
 * what follows. Without a boot id: `synchronous=NORMAL`, no mark.
 */
export const markInUse = (writer: Database.Database, boot: string | null): void => {
  if (boot === null) {
    writer.pragma('synchronous = NORMAL');
    return;
  }
  writer.pragma('synchronous = FULL');
  writer.exec(DURABILITY_DDL);
  writer.prepare('INSERT OR REPLACE INTO _durability (id, boot, clean) VALUES (1, ?, 0)').run(boot);
  writer.pragma('synchronous = OFF');
};

/**
 * Before a clean close: copies the log into the file and syncs both, then marks
 * the file clean (that commit synced too), so a later boot may trust it.
 */
export const markClean = (writer: Database.Database, boot: string | null): void => {
  if (boot !== null) writer.pragma('synchronous = FULL');
  writer.pragma('wal_checkpoint(TRUNCATE)');
  if (boot !== null) writer.prepare('UPDATE _durability SET clean = 1 WHERE id = 1').run();
};

/**
 * Online backups of the embedded event store (SQLite's backup API): a
 * consistent snapshot while the server keeps writing. Read models are not
 * backed up: they are rebuilt from the events after a restore.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, fstatSync, fsyncSync, linkSync, lstatSync, openSync, readFileSync, readSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EVENTS_FILE } from '../config';
import { openNewFile, PRIVATE_FILE_MODE, privateDir } from '../private-files';

export const LOCK_FILE = 'tashil.pid';

export interface BackupResult {
  file: string;
  events: number;
  headPosition: number;
}

const summary = (file: string): { events: number; headPosition: number } => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`${file} is damaged: ${String(integrity)}`);
    const row = db.prepare('SELECT COUNT(*) AS events, COALESCE(MAX(position), 0) AS headPosition FROM events').get() as BackupResult;
    return { events: row.events, headPosition: row.headPosition };
  } finally {
    db.close();
  }
};

/** Whether anything (a file, a folder, a symbolic link, dangling or not) is at `path`. */
const occupied = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
};

/**
 * Copies the event store of `dataDir` to `target`, consistently, while it may be in use.
 * The copy is written to `target.partial` first, which this creates itself (0600,
 * O_EXCL|O_NOFOLLOW): a symbolic link or any file already at either name is refused,
 * never followed or overwritten.
 */
export const backupEventStore = async (dataDir: string, target: string): Promise<BackupResult> => {
  const source = join(dataDir, EVENTS_FILE);
  if (!existsSync(source)) throw new Error(`no event store at ${source}`);
  if (occupied(target)) throw new Error(`${target} exists: choose a new file name`);
  privateDir(dirname(target));
  // Written to a temporary name first: a backup interrupted halfway never looks complete.
  const partial = `${target}.partial`;
  let fd: number;
  try {
    fd = openNewFile(partial);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot write the backup's temporary file: ${message}${message.includes('symbolic link') ? '' : ' (remove it if an interrupted backup left it)'}`);
  }
  const created = fstatSync(fd);
  closeSync(fd);
  // The file SQLite wrote is still the one created above, not something put in its place.
  const ours = (): boolean => {
    try {
      const now = lstatSync(partial);
      return now.isFile() && now.ino === created.ino && now.dev === created.dev;
    } catch {
      return false;
    }
  };
  try {
    const db = new Database(source, { readonly: true, fileMustExist: true });
    try {
      await db.backup(partial);
    } finally {
      db.close();
    }
    if (!ours()) throw new Error(`${partial} was replaced while the backup was written: refusing to use it`);
    // A hard link never replaces an existing name (rename would): the target cannot be swapped in meanwhile.
    try {
      linkSync(partial, target);
      unlinkSync(partial);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new Error(`${target} appeared while the backup was written: choose a new file name`);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
      // A file system without hard links.
      if (occupied(target)) throw new Error(`${target} appeared while the backup was written: choose a new file name`);
      renameSync(partial, target);
    }
  } catch (error) {
    if (ours()) rmSync(partial, { force: true });
    throw error;
  }
  return { file: target, ...summary(target) };
};

/** The pid of a server running on `dataDir`, if any (its lock file names a live process). */
export const runningServer = (dataDir: string): number | null => {
  const lock = join(dataDir, LOCK_FILE);
  if (!existsSync(lock)) return null;
  const pid = Number(readFileSync(lock, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
};

export const writeLock = (dataDir: string): (() => void) => {
  privateDir(dataDir);
  const lock = join(dataDir, LOCK_FILE);
  writeFileSync(lock, String(process.pid), { mode: PRIVATE_FILE_MODE });
  return () => {
    try {
      if (readFileSync(lock, 'utf8').trim() === String(process.pid)) unlinkSync(lock);
    } catch {
      // already gone
    }
  };
};

/** Copies `source` into the open descriptor `fd`, syncs and closes it. */
const copyInto = (fd: number, source: string): void => {
  const from = openSync(source, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let read: number; (read = readSync(from, buffer, 0, buffer.length, null)) > 0; ) {
      for (let written = 0; written < read; ) written += writeSync(fd, buffer, written, read - written);
    }
    fsyncSync(fd);
  } finally {
    closeSync(from);
    closeSync(fd);
  }
};

/**
 * Replaces the event store of `dataDir` with a backup and drops the read
 * models, which the server rebuilds from the restored events when it starts.
 * Refuses while a server runs on the folder.
 */
export const restoreEventStore = (dataDir: string, backup: string): BackupResult => {
  const pid = runningServer(dataDir);
  if (pid !== null) throw new Error(`a server (pid ${pid}) is running on ${dataDir}: stop it first`);
  const checked = summary(backup);
  privateDir(dataDir);
  const target = join(dataDir, EVENTS_FILE);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  // Created 0600 before a byte is copied (copyFile would give it the backup's own mode).
  rmSync(`${target}.restoring`, { force: true });
  copyInto(openNewFile(`${target}.restoring`), backup);
  renameSync(`${target}.restoring`, target);
  rmSync(join(dataDir, 'projections'), { recursive: true, force: true });
  return { file: target, ...checked };
};

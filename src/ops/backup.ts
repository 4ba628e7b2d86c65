/**
 * Online backups of the embedded event store (SQLite's backup API): a
 * consistent snapshot while the server keeps writing. Read models are not
 * backed up: they are rebuilt from the events after a restore.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EVENTS_FILE } from '../config';

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

/** Copies the event store of `dataDir` to `target`, consistently, while it may be in use. */
export const backupEventStore = async (dataDir: string, target: string): Promise<BackupResult> => {
  const source = join(dataDir, EVENTS_FILE);
  if (!existsSync(source)) throw new Error(`no event store at ${source}`);
  if (existsSync(target)) throw new Error(`${target} exists: choose a new file name`);
  mkdirSync(dirname(target), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    // Written to a temporary name first: a backup interrupted halfway never looks complete.
    await db.backup(`${target}.partial`);
  } finally {
    db.close();
  }
  renameSync(`${target}.partial`, target);
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
  mkdirSync(dataDir, { recursive: true });
  const lock = join(dataDir, LOCK_FILE);
  writeFileSync(lock, String(process.pid));
  return () => {
    try {
      if (readFileSync(lock, 'utf8').trim() === String(process.pid)) unlinkSync(lock);
    } catch {
      // already gone
    }
  };
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
  mkdirSync(dataDir, { recursive: true });
  const target = join(dataDir, EVENTS_FILE);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  copyFileSync(backup, `${target}.restoring`);
  renameSync(`${target}.restoring`, target);
  rmSync(join(dataDir, 'projections'), { recursive: true, force: true });
  return { file: target, ...checked };
};

/**
 * Files and folders holding the history or derived from it are readable by
 * their owner only: folders 0700, files 0600, whatever the process umask.
 * (Setting the umask would change every other file the process writes, so
 * each file is created with its mode instead.) SQLite gives a database's
 * -wal, -shm and -journal files the mode of the database file itself, so a
 * database created here keeps them private too.
 */
import { chmodSync, closeSync, constants, fstatSync, fchmodSync, lstatSync, mkdirSync, openSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and missing parents) as 0700. A folder that already exists
 * keeps its mode: it may be the operator's (a mounted volume, /var/lib/…).
 */
export const privateDir = (dir: string): void => {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
};

/** Narrows `file`'s mode to 0600 if this process owns it; someone else's file (an auditor's read) is left as it is. */
const narrow = (file: string): void => {
  try {
    chmodSync(file, PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
};

/**
 * Makes sure the SQLite file `file` exists as 0600 before SQLite opens it, so
 * that it never exists readable by others even for an instant (SQLite
 * itself creates files 0644 less the umask). An existing file is narrowed to
 * 0600. `':memory:'` and other special names are left alone.
 */
export const privateDatabaseFile = (file: string): void => {
  if (file === ':memory:' || file === '' || file.startsWith('file:')) return;
  try {
    closeSync(openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch (error) {
    // There already: left to SQLite to open (perhaps read-only, for someone without write access).
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  narrow(file);
};

const describe = (file: string): string | null => {
  try {
    const stat = lstatSync(file);
    if (stat.isSymbolicLink()) return 'is a symbolic link';
    return stat.isFile() ? 'exists' : 'exists and is not a regular file';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
};

/**
 * Opens a new file `file` for writing as 0600 and returns its descriptor.
 * Never follows a symbolic link and never writes through or over anything
 * already there (O_CREAT|O_EXCL|O_NOFOLLOW). `force`: an existing regular
 * file is truncated and rewritten (narrowed to 0600); a symbolic link is
 * still refused.
 */
export const openNewFile = (file: string, { force = false, flag = '--force' }: { force?: boolean; flag?: string } = {}): number => {
  const found = describe(file);
  if (found === 'is a symbolic link') throw new Error(`${file} is a symbolic link: refusing to write through it`);
  if (found !== null && !force) throw new Error(`${file} already exists: choose another file, or pass ${flag} to overwrite it`);
  if (found !== null && found !== 'exists') throw new Error(`${file} ${found}: refusing to overwrite it`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | (force ? constants.O_TRUNC : constants.O_EXCL);
  let fd: number;
  try {
    fd = openSync(file, flags, PRIVATE_FILE_MODE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Created between the check and the open.
    if (code === 'EEXIST') throw new Error(`${file} already exists: choose another file, or pass ${flag} to overwrite it`);
    if (code === 'ELOOP') throw new Error(`${file} is a symbolic link: refusing to write through it`);
    throw error;
  }
  try {
    if (!fstatSync(fd).isFile()) throw new Error(`${file} is not a regular file: refusing to write to it`);
    fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
};

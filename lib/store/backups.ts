import fs from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, NotFoundError } from '@/lib/http/errors';
import type { BackupCopy } from './backup';

/** A backup file in the backup folder. */
export interface BackupFile {
  name: string;
  bytes: number;
  createdAtMs: number;
}

/** A backup just taken: its file, what it holds, and how long it took. */
export interface TakenBackup extends BackupFile, BackupCopy {
  tookMs: number;
}

/** What can copy itself to a file while it serves (the DuckDB store). */
export interface BackupSource {
  backupTo(target: string): Promise<BackupCopy>;
}

/** Backup names the folder lists and serves: nothing else in it, and no path can be smuggled in. */
const BACKUP_NAME = /^signalbox-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z(-\d+)?\.duckdb$/;

/** `signalbox-2026-12-05T04-10-00Z.duckdb`: sortable, and valid as a file name everywhere. */
const nameAt = (ms: number, suffix: number) =>
  `signalbox-${new Date(ms).toISOString().slice(0, 19).replaceAll(':', '-')}Z${suffix ? `-${suffix}` : ''}.duckdb`;

/**
 * The backup folder (SIGNALBOX_BACKUP_DIR): takes a backup of the running
 * store into it, one at a time, and lists and serves what is there. Old
 * backups are the operator's to delete or move off the machine; this never
 * deletes one.
 */
export class StoreBackups {
  private taking = false;

  constructor(
    readonly dir: string,
    private readonly source: BackupSource,
  ) {}

  async take(nowMs = Date.now()): Promise<TakenBackup> {
    // Two copies at once would double the disk traffic for the same result.
    if (this.taking) throw new ConflictError('a backup is being taken now; wait for it to finish');
    this.taking = true;
    try {
      await fs.mkdir(this.dir, { recursive: true });
      let suffix = 0;
      while (await exists(path.join(this.dir, nameAt(nowMs, suffix)))) suffix += 1;
      const name = nameAt(nowMs, suffix);
      const started = performance.now();
      const copy = await this.source.backupTo(path.join(this.dir, name));
      return { name, createdAtMs: nowMs, ...copy, tookMs: Math.round(performance.now() - started) };
    } finally {
      this.taking = false;
    }
  }

  /** The backups in the folder, newest first. */
  async list(): Promise<BackupFile[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const files = await Promise.all(
      names
        .filter((name) => BACKUP_NAME.test(name))
        .map(async (name) => {
          const [, day, hours, minutes, seconds] = BACKUP_NAME.exec(name)!;
          const { size } = await fs.stat(path.join(this.dir, name));
          // From the name, not the file's mtime: copying a backup elsewhere and back keeps its time.
          return { name, bytes: size, createdAtMs: Date.parse(`${day}T${hours}:${minutes}:${seconds}Z`) };
        }),
    );
    return files.sort((a, b) => b.name.localeCompare(a.name));
  }

  /** The path of one backup by name; NotFoundError for any other name. */
  async pathOf(name: string): Promise<string> {
    const file = path.join(this.dir, name);
    if (!BACKUP_NAME.test(name) || !(await exists(file)))
      throw new NotFoundError(`there is no backup ${JSON.stringify(name)} in ${this.dir}`);
    return file;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

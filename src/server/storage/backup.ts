/**
 * Backup and restore of a SQLite data directory (`npm run backup`, `npm run restore`).
 *
 * Backup is online: SQLite's backup API copies a consistent snapshot while the service goes on
 * writing (one step over every page, so a write meanwhile never restarts it), into one
 * self-contained file. The sites' uploaded models (`DATA_DIR/models`) travel in the same file, in a
 * table of their own that restore writes back and drops. Restore refuses while a service holds the
 * directory; it keeps the database it replaces beside it, and the next start migrates an older
 * backup's schema.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MODEL_FILE_PATTERN } from '../../contracts';
import { acquireLock, dbPath, lockHolder, releaseLock } from './files';
import { SCHEMA_VERSION, schemaVersion } from './migrations';

export class BackupError extends Error {
  override name = 'BackupError';
}

export interface BackupResult {
  file: string;
  bytes: number;
  schemaVersion: number;
  readings: number;
  alarms: number;
  /** Uploaded site models carried in the file. */
  models: number;
}

/** The table a backup carries the models folder in; never part of a live database. */
const FILES_TABLE = 'backup_model_files';

/** Every page in one step: a step is one read snapshot, and WAL lets the service write meanwhile. */
const ALL_PAGES = 0x7fffffff;

/** What a database file holds, after checking it is a sound CityTwin database. */
function inspect(file: string): { schemaVersion: number; readings: number; alarms: number } {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new BackupError(`${file}: ${(err as Error).message}`);
  }
  try {
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') throw new BackupError(`${file} is damaged: ${check}`);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    if (!tables.includes('readings') || !tables.includes('alarms')) throw new BackupError(`${file} is not a CityTwin database (no readings or alarms table)`);
    const count = (t: string) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    return { schemaVersion: schemaVersion(db), readings: count('readings'), alarms: count('alarms') };
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${file} is not a readable SQLite database: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

/** Copies the database of `dataDir` to `outFile` (refuses to overwrite a file unless `force`). */
export async function backupDataDir(dataDir: string, outFile: string, opts: { force?: boolean } = {}): Promise<BackupResult> {
  const source = dbPath(dataDir);
  if (!existsSync(source)) throw new BackupError(`no database in ${dataDir} (looked for ${source})`);
  if (existsSync(outFile) && !opts.force) throw new BackupError(`${outFile} exists: choose another name, or pass --force to replace it`);
  const partial = `${outFile}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  const src = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await src.backup(partial, { progress: () => ALL_PAGES });
  } finally {
    src.close();
  }
  try {
    // One self-contained file: no write-ahead log beside it.
    const out = new Database(partial);
    out.pragma('journal_mode = DELETE');
    const models = packModels(out, join(dataDir, 'models'));
    out.close();
    const info = inspect(partial);
    renameSync(partial, outFile);
    return { file: outFile, bytes: statSync(outFile).size, ...info, models };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}

export interface RestoreResult {
  schemaVersion: number;
  readings: number;
  alarms: number;
  /** Where the database it replaced was kept; null when there was none. */
  previous: string | null;
  /** Site models written back into `DATA_DIR/models`. */
  models: number;
}

/** Copies the stored models (only names a model can have: no scratch file, no path) into the backup. */
function packModels(out: Database.Database, dir: string): number {
  if (!existsSync(dir)) return 0;
  const names = readdirSync(dir).filter((f) => MODEL_FILE_PATTERN.test(f));
  out.exec(`CREATE TABLE ${FILES_TABLE} (name TEXT PRIMARY KEY, bytes BLOB NOT NULL)`);
  const put = out.prepare(`INSERT INTO ${FILES_TABLE} (name, bytes) VALUES (?, ?)`);
  out.transaction(() => {
    for (const f of names) put.run(f, readFileSync(join(dir, f)));
  })();
  return names.length;
}

/**
 * Writes the models a backup carries into `dir` and drops their table from the restored file. A
 * name that is not a model's (a crafted backup naming `../x`) refuses the restore before any write.
 */
function unpackModels(file: string, dir: string): number {
  const db = new Database(file);
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(FILES_TABLE);
    if (!has) return 0;
    const rows = db.prepare(`SELECT name, bytes FROM ${FILES_TABLE}`).all() as { name: string; bytes: Buffer }[];
    const bad = rows.find((r) => !MODEL_FILE_PATTERN.test(r.name));
    if (bad) throw new BackupError(`${file} carries a model file named ${JSON.stringify(bad.name)}, which no model can be called: not restored`);
    mkdirSync(dir, { recursive: true });
    for (const r of rows) {
      writeFileSync(join(dir, `.restoring-${r.name}`), r.bytes);
      renameSync(join(dir, `.restoring-${r.name}`), join(dir, r.name));
    }
    db.exec(`DROP TABLE ${FILES_TABLE}`);
    return rows.length;
  } finally {
    db.close();
  }
}

/** Replaces the database of `dataDir` by `fromFile`; refuses while a service holds the directory. */
export function restoreDataDir(dataDir: string, fromFile: string, nowMs = Date.now()): RestoreResult {
  const pid = lockHolder(dataDir);
  if (pid !== null) {
    throw new BackupError(
      `a CityTwin service (pid ${pid}) is using ${dataDir}: stop it first (Ctrl-C where it runs, or kill -TERM ${pid}), then restore, then start it again`,
    );
  }
  if (!existsSync(fromFile)) throw new BackupError(`${fromFile} does not exist`);
  const info = inspect(fromFile);
  if (info.schemaVersion > SCHEMA_VERSION) {
    throw new BackupError(`${fromFile} is at schema version ${info.schemaVersion}, newer than this build knows (${SCHEMA_VERSION}): restore it with a newer CityTwin`);
  }
  acquireLock(dataDir);
  try {
    const target = dbPath(dataDir);
    let previous: string | null = null;
    if (existsSync(target)) {
      // Fold its write-ahead log in first, so the copy kept aside is whole.
      const old = new Database(target);
      old.pragma('wal_checkpoint(TRUNCATE)');
      old.close();
      previous = `${target}.before-restore-${new Date(nowMs).toISOString().replace(/[:.]/g, '-')}`;
      renameSync(target, previous);
    }
    for (const f of [`${target}-wal`, `${target}-shm`]) rmSync(f, { force: true });
    copyFileSync(fromFile, `${target}.restoring`);
    let models: number;
    try {
      models = unpackModels(`${target}.restoring`, join(dataDir, 'models'));
    } catch (err) {
      rmSync(`${target}.restoring`, { force: true });
      if (previous) renameSync(previous, target);
      throw err;
    }
    renameSync(`${target}.restoring`, target);
    return { ...info, previous, models };
  } finally {
    releaseLock(dataDir);
  }
}

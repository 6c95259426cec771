/**
 * `npm run backup` copies the history while the service runs and writes; `npm run restore` refuses
 * while a service holds the data directory, refuses a file that is not a CityTwin database, and
 * otherwise puts the backup in place (the replaced database kept beside it), with the sites'
 * uploaded models; a crafted backup naming a path outside the models folder restores nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../src/contracts';
import type { Service } from '../../src/server/app';
import { SCHEMA_VERSION } from '../../src/server/storage/migrations';
import { api, deviceClient, login, publish, removeDir, startTestService, tempDataDir, waitForAlarm } from './helpers';

const dataDir = tempDataDir();
const elsewhere = tempDataDir();
const backupFile = join(elsewhere, 'citytwin-backup.sqlite');
/** An uploaded site model as it lies in the data directory (name by site and content hash). */
const MODEL = 'kq-p1-0123456789abcdef.glb';
const MODEL_BYTES = Buffer.from('glTF a site model, as uploaded');
let svc: Service | undefined;

afterAll(async () => {
  await svc?.close();
  removeDir(dataDir);
  removeDir(elsewhere);
});

/**
 * Runs a script the way `npm run` does (tsx), with DATA_DIR set; its exit code and output. Not
 * spawnSync: the service in this process must go on meanwhile.
 */
function run(script: string, ...args: string[]): Promise<{ code: number | null; out: string }> {
  const { NODE_OPTIONS: _drop, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...env, DATA_DIR: dataDir } });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((ok) => child.on('close', (code) => ok({ code, out })));
}

describe('backup and restore', () => {
  const t = Date.now() - 60_000;
  let alarmId = '';

  it('backs up online while the service keeps writing', async () => {
    svc = await startTestService(dataDir);
    mkdirSync(join(dataDir, 'models'), { recursive: true });
    writeFileSync(join(dataDir, 'models', MODEL), MODEL_BYTES);
    writeFileSync(join(dataDir, 'models', '.upload-0123.ifc'), 'work in progress'); // never backed up
    const device = await deviceClient(svc);
    await publish(device, deviceTopic('confined', 't-gas-lower', 'telemetry'), { ts: t, values: { h2s_ppm: 30 } });
    alarmId = (await waitForAlarm(svc, await login(svc, 'inspector'), 't-gas-lower', 'h2s_ppm_high')).id;
    // A stream keeps going during the backup.
    let writing = true;
    let written = 0;
    const stream = (async () => {
      for (let i = 1; writing; i++, written++) await publish(device, deviceTopic('confined', 't-gas-upper', 'telemetry'), { ts: t + i, values: { o2_pct: 20.9 } });
    })();
    const r = await run('scripts/backup.ts', '--out', backupFile);
    writing = false;
    await stream;
    device.end(true);
    expect(written).toBeGreaterThan(2); // writes went on during the backup (how many depends on how fast it was)
    expect(r.out).toMatch(new RegExp(`backed up .* to .*citytwin-backup\\.sqlite \\(.* MB, schema ${SCHEMA_VERSION}, \\d+ readings, 1 alarms, 1 site models\\)`));
    expect(r.code).toBe(0);
    const db = new Database(backupFile, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(db.prepare("SELECT value FROM readings WHERE device_id = 't-gas-lower' AND ts = ?").pluck().get(t)).toBe(30);
    expect(db.prepare('SELECT id FROM alarms').pluck().all()).toEqual([alarmId]);
    db.close();
    expect(existsSync(join(dataDir, 'citytwin.sqlite-wal'))).toBe(true);
    // An existing file is not overwritten by accident.
    const again = await run('scripts/backup.ts', '--out', backupFile);
    expect(again.code).toBe(1);
    expect(again.out).toContain('exists: choose another name, or pass --force');
  });

  it('refuses to restore while the service holds the data directory, and says how to stop it', async () => {
    const r = await run('scripts/restore.ts', '--from', backupFile);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`restore refused: a CityTwin service (pid ${process.pid}) is using ${dataDir}: stop it first`);
    expect(r.out).toContain(`kill -TERM ${process.pid}`);
  });

  it('refuses a file that is not a CityTwin database', async () => {
    await svc!.close();
    const junk = join(elsewhere, 'junk.sqlite');
    writeFileSync(junk, 'not a database at all, just some text long enough to look like a header');
    const r = await run('scripts/restore.ts', '--from', junk);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/restore refused: .*junk\.sqlite/);
    const other = join(elsewhere, 'other.sqlite');
    new Database(other).exec('CREATE TABLE t (x)');
    expect((await run('scripts/restore.ts', '--from', other)).out).toContain('is not a CityTwin database');
  });

  it('restores the backup in place of what was written since, keeping the replaced database', async () => {
    svc = await startTestService(dataDir);
    const device = await deviceClient(svc);
    const later = Date.now();
    await publish(device, deviceTopic('confined', 't-gas-lower', 'telemetry'), { ts: later, values: { h2s_ppm: 0.1 } });
    device.end(true);
    await svc.close();
    svc = undefined;

    // A crafted copy of the backup whose model is named out of the models folder is refused whole.
    const crafted = join(elsewhere, 'crafted.sqlite');
    writeFileSync(crafted, readFileSync(backupFile));
    const db = new Database(crafted);
    db.prepare('UPDATE backup_model_files SET name = ?').run('../../escaped.glb');
    db.close();
    const refused = await run('scripts/restore.ts', '--from', crafted);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('which no model can be called: not restored');
    expect(existsSync(join(dataDir, '..', 'escaped.glb'))).toBe(false);
    expect(existsSync(join(dataDir, 'citytwin.sqlite'))).toBe(true); // the database in place stays

    rmSync(join(dataDir, 'models'), { recursive: true });
    const r = await run('scripts/restore.ts', '--from', backupFile);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`restored .* \\(schema ${SCHEMA_VERSION}, \\d+ readings, 1 alarms, 1 site models\\)`));
    expect(readFileSync(join(dataDir, 'models', MODEL))).toEqual(MODEL_BYTES);
    expect(readdirSync(join(dataDir, 'models'))).toEqual([MODEL]);
    expect(readdirSync(dataDir).some((f) => f.startsWith('citytwin.sqlite.before-restore-'))).toBe(true);

    svc = await startTestService(dataDir);
    const token = await login(svc, 'inspector');
    const tele = (ts: number) => api(svc!, `/api/telemetry/t-gas-lower?quantity=h2s_ppm&from=${ts}&to=${ts}`, { token });
    expect((await tele(t)).body.points).toEqual([[t, 30]]);
    expect((await tele(later)).body.points).toEqual([]);
    // The alarm open at the backup is open again.
    expect((await api(svc, '/api/alarms', { token })).body.map((a: { id: string }) => a.id)).toContain(alarmId);
  });
});

/**
 * Users in the database (admin API), one's own password, and the audit log with its CSV: who
 * did what, when and from where, for logins, logouts, acks, shelves, user and credential changes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryTestDb, testPgUrl } from '../fixture/database';
import {
  api,
  connect,
  DEMO_PASSWORD,
  DEVICE_PASSWORD,
  deviceClient,
  login,
  publish,
  removeDir,
  serviceSuite,
  startTestService,
  tempDataDir,
  waitForAlarm,
} from './helpers';

const suite = serviceSuite({ login: 'admin' });

describe('users', () => {
  it('starts with the four demo users, each with the role of its name, listed without any secret', async () => {
    const r = await api(suite.svc, '/api/users', { token: suite.token });
    expect(r.status).toBe(200);
    expect(r.body.map((u: any) => [u.username, u.role, u.disabled])).toEqual([
      ['admin', 'admin', false],
      ['inspector', 'inspector', false],
      ['park_manager', 'park_manager', false],
      ['traffic', 'traffic', false],
    ]);
    expect(JSON.stringify(r.body)).not.toMatch(/scrypt|password/i);
    expect(r.body[0].lastLoginAt).toBeGreaterThan(0);
  });

  it('stores passwords as scrypt hashes, never in clear', async () => {
    // SQLite: every byte of the file (WAL mode: recent writes are in the -wal file until a checkpoint);
    // PostgreSQL: every row of the identity tables.
    const db = testPgUrl()
      ? Buffer.from(JSON.stringify(await Promise.all(['users', 'sessions', 'audit', 'login_failures'].map((t) => queryTestDb(suite.dataDir, `SELECT * FROM ${t}`)))))
      : Buffer.concat(['citytwin.sqlite', 'citytwin.sqlite-wal'].filter((f) => existsSync(join(suite.dataDir, f))).map((f) => readFileSync(join(suite.dataDir, f))));
    expect(db.includes(Buffer.from(DEMO_PASSWORD))).toBe(false);
    expect(db.includes(Buffer.from('scrypt$16384$8$1$'))).toBe(true);
  });

  it('lets only the admin list, create and change users', async () => {
    const inspector = await login(suite.svc, 'inspector');
    expect((await api(suite.svc, '/api/users', { token: inspector })).status).toBe(403);
    expect((await api(suite.svc, '/api/users', { token: inspector, body: { username: 'x', role: 'admin', password: 'long-enough-pw' } })).status).toBe(403);
    expect((await api(suite.svc, '/api/users/inspector', { token: inspector, method: 'PATCH', body: { role: 'admin' } })).status).toBe(403);
  });

  it('creates a user with a role and a password of 12+ characters; the user logs in with that role', async () => {
    const short = await api(suite.svc, '/api/users', { token: suite.token, body: { username: 'wang.li', role: 'inspector', password: 'short' } });
    expect(short.status).toBe(400);
    expect(short.body.message).toMatch(/12 characters/);
    const r = await api(suite.svc, '/api/users', { token: suite.token, body: { username: 'wang.li', role: 'inspector', password: 'kq-inspector-2026' } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ username: 'wang.li', role: 'inspector', disabled: false, lastLoginAt: null });
    expect((await api(suite.svc, '/api/users', { token: suite.token, body: { username: 'wang.li', role: 'traffic', password: 'kq-inspector-2026' } })).status).toBe(409);
    const l = await api(suite.svc, '/api/login', { body: { username: 'wang.li', password: 'kq-inspector-2026' } });
    expect(l.body).toMatchObject({ role: 'inspector', username: 'wang.li' });
  });

  it("changes a role at once for the user's open sessions", async () => {
    const token = (await api(suite.svc, '/api/login', { body: { username: 'wang.li', password: 'kq-inspector-2026' } })).body.token;
    expect((await api(suite.svc, '/api/users', { token })).status).toBe(403);
    expect((await api(suite.svc, '/api/users/wang.li', { token: suite.token, method: 'PATCH', body: { role: 'admin' } })).body.role).toBe('admin');
    expect((await api(suite.svc, '/api/users', { token })).status).toBe(200);
  });

  it('never leaves the service without an enabled admin; 404 for an unknown user; 400 for an empty change', async () => {
    await api(suite.svc, '/api/users/wang.li', { token: suite.token, method: 'PATCH', body: { role: 'inspector' } });
    const r = await api(suite.svc, '/api/users/admin', { token: suite.token, method: 'PATCH', body: { disabled: true } });
    expect(r.status).toBe(409);
    expect(r.body.error).toBe('last_admin');
    expect((await api(suite.svc, '/api/users/admin', { token: suite.token, method: 'PATCH', body: { role: 'traffic' } })).status).toBe(409);
    expect((await api(suite.svc, '/api/users/ghost', { token: suite.token, method: 'PATCH', body: { disabled: true } })).status).toBe(404);
    expect((await api(suite.svc, '/api/users/inspector', { token: suite.token, method: 'PATCH', body: {} })).status).toBe(400);
  });

  it('checks the current password on a change of one\'s own (403 when wrong) and the length of the new one', async () => {
    const token = await login(suite.svc, 'park_manager');
    const wrong = await api(suite.svc, '/api/me/password', { token, body: { current: 'not-it', next: 'park-manager-2026' } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toBe('wrong_password');
    expect((await api(suite.svc, '/api/me/password', { token, body: { current: DEMO_PASSWORD, next: 'short' } })).status).toBe(400);
    expect((await api(suite.svc, '/api/me/password', { body: { current: DEMO_PASSWORD, next: 'park-manager-2026' } })).status).toBe(401);
  });
});

describe('audit log', () => {
  it('records acks and shelves with who, when, from where and the comment or reason', async () => {
    const device = await deviceClient(suite.svc);
    await publish(device, 'citytwin/v1/confined/t-gas-lower/telemetry', { ts: Date.now(), values: { lel_pct: 60 } });
    // High, not high-high: a major alarm, which may be shelved (a critical one may not).
    await publish(device, 'citytwin/v1/park/t-tank-1/telemetry', { ts: Date.now(), values: { level_pct: 90 } });
    device.end(true);
    const lel = await waitForAlarm(suite.svc, suite.token, 't-gas-lower', 'lel_pct_high');
    const inspector = await login(suite.svc, 'inspector');
    expect((await api(suite.svc, `/api/alarms/${lel.id}/ack`, { token: inspector, body: { comment: 'crew out' } })).status).toBe(200);
    // A refused ack (wrong role) is no act: not audited.
    const traffic = await login(suite.svc, 'traffic');
    expect((await api(suite.svc, `/api/alarms/${lel.id}/ack`, { token: traffic, body: {} })).status).toBe(403);
    const tank = await waitForAlarm(suite.svc, suite.token, 't-tank-1', 'level_pct_high');
    const pm = await login(suite.svc, 'park_manager');
    expect((await api(suite.svc, `/api/alarms/${tank.id}/shelve`, { token: pm, body: { minutes: 30, reason: 'gauge calibration' } })).status).toBe(200);

    const acks = (await api(suite.svc, '/api/audit?action=alarm.ack', { token: suite.token })).body;
    expect(acks).toEqual([expect.objectContaining({ user: 'inspector', address: '127.0.0.1', action: 'alarm.ack', target: lel.id, detail: { comment: 'crew out' } })]);
    expect(acks[0].ts).toBeGreaterThan(Date.now() - 60_000);
    const shelves = (await api(suite.svc, '/api/audit?action=alarm&user=park_manager', { token: suite.token })).body;
    expect(shelves).toEqual([expect.objectContaining({ action: 'alarm.shelve', target: tank.id, detail: { minutes: 30, reason: 'gauge calibration' } })]);
  });

  it('records logins, logouts, user changes, credential issues and the service start', async () => {
    const t = await login(suite.svc, 'traffic');
    await api(suite.svc, '/api/logout', { token: t, body: {} });
    await api(suite.svc, '/api/devices/t-det-1/credentials', { token: suite.token, body: {} });
    await api(suite.svc, '/api/devices/t-det-1/credentials', { token: suite.token, body: {} });
    await api(suite.svc, '/api/gateways', { token: suite.token, body: { id: 'gw-1', siteIds: ['t-plant'] } });
    const all = (await api(suite.svc, '/api/audit?limit=5000', { token: suite.token })).body as any[];
    const actions = new Set(all.map((e) => e.action));
    for (const a of ['service.start', 'user.seed', 'login', 'logout', 'user.create', 'user.update', 'credentials.issue', 'credentials.rotate', 'password.failed']) {
      expect(actions, a).toContain(a);
    }
    expect(all.find((e) => e.action === 'credentials.issue' && e.target === 'gw-1').detail).toEqual({ kind: 'gateway', siteIds: ['t-plant'] });
    expect(all.find((e) => e.action === 'user.update' && e.target === 'wang.li')).toMatchObject({ user: 'admin' });
    expect(JSON.stringify(all)).not.toMatch(/kq-inspector-2026|test-demo-pw|test-device-pw/);
  });

  it('filters by time, user and action, and exports CSV (admin only)', async () => {
    const now = Date.now();
    const recent = (await api(suite.svc, `/api/audit?from=${now - 60_000}&to=${now + 60_000}&user=admin&action=login`, { token: suite.token })).body as any[];
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((e) => e.user === 'admin' && (e.action === 'login' || e.action.startsWith('login.')))).toBe(true);
    expect((await api(suite.svc, `/api/audit?from=${now + 3_600_000}`, { token: suite.token })).body).toEqual([]);
    expect((await api(suite.svc, '/api/audit?from=yesterday', { token: suite.token })).status).toBe(400);
    const inspector = await login(suite.svc, 'inspector');
    expect((await api(suite.svc, '/api/audit', { token: inspector })).status).toBe(403);
    expect((await api(suite.svc, '/api/audit.csv', { token: inspector })).status).toBe(403);
    const csv = await api(suite.svc, '/api/audit.csv?action=alarm.ack', { token: suite.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="citytwin-audit-\d{8}-\d{4}\.csv"/);
    const lines = (csv.body as string).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('time,user,address,action,target,detail');
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,inspector,127\.0\.0\.1,alarm\.ack,/);
    expect(lines[1]).toContain('"{""comment"":""crew out""}"');
  });
});

describe('production', () => {
  it('has no shared device account unless CITYTWIN_DEVICE_PASSWORD is set', async () => {
    const prodDir = tempDataDir();
    const prod = await startTestService(prodDir, { NODE_ENV: 'production', CITYTWIN_DEMO_PASSWORD: 'a-strong-demo-secret', CITYTWIN_DEVICE_PASSWORD: '' });
    try {
      expect(prod.config.devicePassword).toBeNull();
      for (const password of ['citytwin-device', DEVICE_PASSWORD, '']) {
        await expect(connect(prod.mqttUrl, { username: 'device', password })).rejects.toMatchObject({ code: 4 });
      }
    } finally {
      await prod.close();
      removeDir(prodDir);
    }
  });

  it('npm start refuses a default or short password before building or starting anything', () => {
    const run = (env: Record<string, string>) => {
      try {
        execFileSync('npx', ['tsx', 'scripts/start.ts'], { env: { ...process.env, ...env, PORT: '0', MQTT_PORT: '0', DATA_DIR: join(suite.dataDir, 'prod') }, stdio: 'pipe', timeout: 60_000 });
        return { code: 0, err: '' };
      } catch (e: any) {
        return { code: e.status as number, err: String(e.stderr) + String(e.stdout) };
      }
    };
    const weak = run({ NODE_ENV: 'PRODUCTION', CITYTWIN_DEMO_PASSWORD: 'citytwin' });
    expect(weak.code).toBe(1);
    expect(weak.err).toMatch(/refusing to start with NODE_ENV=production: CITYTWIN_DEMO_PASSWORD is the published default/);
    expect(weak.err).not.toMatch(/build|generat|CityTwin is running/i);
    const short = run({ NODE_ENV: 'production', CITYTWIN_DEMO_PASSWORD: 'eleven-char' });
    expect(short.err).toMatch(/shorter than 12 characters/);
  }, 120_000);
});

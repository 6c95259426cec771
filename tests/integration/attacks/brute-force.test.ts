/**
 * Attack: guess passwords. More than 10 failed logins for one username, or from one address,
 * within 15 minutes: every further attempt is 429 with Retry-After, also with the right password,
 * until the window has passed (an injected clock moves it). Each failure and the lockout are in
 * the audit log. Requests come from several loopback addresses (127.0.0.x) to tell "per name"
 * from "per address".
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../../src/server/app';
import { DEMO_PASSWORD, api, login, removeDir, startTestService, tempDataDir } from '../helpers';

let svc: Service;
let dir: string;
let clockMs = Date.now();

beforeAll(async () => {
  dir = tempDataDir();
  svc = await startTestService(dir, {}, { now: () => clockMs });
});

afterAll(async () => {
  await svc?.close();
  removeDir(dir);
});

/** POST /api/login from a chosen local address. */
function loginFrom(localAddress: string, username: string, password: string): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ username, password });
    const req = request(
      { host: '127.0.0.1', port: svc.port, path: '/api/login', method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('login throttling', () => {
  it('locks a username after 10 failures from 10 addresses: 429 with Retry-After, also for the right password', async () => {
    for (let i = 1; i <= 10; i++) expect((await loginFrom(`127.0.0.${10 + i}`, 'traffic', `guess-${i}`)).status).toBe(401);
    const locked = await loginFrom('127.0.0.99', 'traffic', DEMO_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.retryAfter)).toBeGreaterThan(14 * 60);
    expect(Number(locked.retryAfter)).toBeLessThanOrEqual(15 * 60);
    // Other users from those addresses are not affected.
    expect((await loginFrom('127.0.0.11', 'inspector', DEMO_PASSWORD)).status).toBe(200);
  });

  it('locks an address after 10 failures for 10 different names, whatever name it tries next', async () => {
    for (let i = 1; i <= 10; i++) expect((await loginFrom('127.0.0.50', `nobody-${i}`, 'x')).status).toBe(401);
    const r = await loginFrom('127.0.0.50', 'park_manager', DEMO_PASSWORD);
    expect(r.status).toBe(429);
    expect(r.retryAfter).toMatch(/^\d+$/);
    // Another address logs in as that user.
    expect((await loginFrom('127.0.0.51', 'park_manager', DEMO_PASSWORD)).status).toBe(200);
  });

  it('stops a fast brute force: 200 guesses get 10 answers of 401 and 190 of 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await loginFrom('127.0.0.70', 'admin', `pw-${i}`)).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(190);
  });

  it('lets the locked name and address in again once the window has passed', async () => {
    clockMs += 15 * 60 * 1000 + 1000;
    expect((await loginFrom('127.0.0.99', 'traffic', DEMO_PASSWORD)).status).toBe(200);
    expect((await loginFrom('127.0.0.50', 'park_manager', DEMO_PASSWORD)).status).toBe(200);
    expect((await loginFrom('127.0.0.70', 'admin', DEMO_PASSWORD)).status).toBe(200);
  });

  it('records failures, the lockout and the refused attempts in the audit log, with the address and no password', async () => {
    const admin = await login(svc, 'admin');
    const failed = await api(svc, '/api/audit?action=login.failed&limit=5000', { token: admin });
    expect(failed.status).toBe(200);
    expect(failed.body.length).toBe(30);
    expect(failed.body.find((e: any) => e.target === 'traffic')).toMatchObject({ user: 'traffic', address: expect.stringMatching(/^127\.0\.0\.\d+$/), detail: { reason: 'wrong_password' } });
    const lockouts = await api(svc, '/api/audit?action=login.lockout', { token: admin });
    expect(lockouts.body.map((e: any) => e.target).sort()).toEqual(['admin', 'nobody-10', 'traffic']);
    const refused = await api(svc, '/api/audit?action=login.locked&limit=5000', { token: admin });
    expect(refused.body.length).toBe(192);
    const all = JSON.stringify((await api(svc, '/api/audit?limit=5000', { token: admin })).body);
    expect(all).not.toContain('guess-');
    expect(all).not.toContain(DEMO_PASSWORD);
  });
});

/**
 * Attack: keep using a token after it should be dead. A browser's MQTT connection over WebSocket
 * opened with a token is closed within 5 s of logout, of its user being disabled, of a password
 * change and of the token's expiry (an injected clock); the HTTP API refuses the token at once.
 * Sessions are stored, so a restart keeps a live token alive and a dead one dead.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../../src/server/app';
import { TOKEN_TTL_MS } from '../../../src/server/auth';
import { DEMO_PASSWORD, api, browserClient, closed, login, removeDir, startTestService, tempDataDir } from '../helpers';

let svc: Service;
let dir: string;
let clockMs = Date.now();
const clock = { now: () => clockMs };

beforeAll(async () => {
  dir = tempDataDir();
  svc = await startTestService(dir, {}, clock);
});

afterAll(async () => {
  await svc?.close();
  removeDir(dir);
});

/** Runs `act` and measures how long until `client`'s connection closes (fails past 5 s). */
async function closesWithin5s(client: MqttClient, act: () => Promise<unknown>): Promise<number> {
  const gone = closed(client, 5000);
  const t0 = Date.now();
  await act();
  await gone;
  return Date.now() - t0;
}

const devices = (token: string) => api(svc, '/api/devices', { token });

describe('revoked and expired tokens on open WebSocket connections', () => {
  it('logout: 204, the token is dead for the API at once, its WebSocket closes within 5 s', async () => {
    const token = await login(svc, 'inspector');
    const ws = await browserClient(svc, token);
    const ms = await closesWithin5s(ws, async () => expect((await api(svc, '/api/logout', { token, body: {} })).status).toBe(204));
    console.log(`logout → WebSocket MQTT closed in ${ms} ms`);
    expect((await devices(token)).status).toBe(401);
    await expect(browserClient(svc, token)).rejects.toMatchObject({ code: 4 });
  });

  it("logout ends that session only: the same user's other session stays", async () => {
    const a = await login(svc, 'traffic');
    const b = await login(svc, 'traffic');
    const wsB = await browserClient(svc, b);
    expect((await api(svc, '/api/logout', { token: a, body: {} })).status).toBe(204);
    expect((await devices(b)).status).toBe(200);
    expect(wsB.connected).toBe(true);
    wsB.end(true);
  });

  it("disabling a user closes every connection of theirs; they cannot log in until enabled", async () => {
    const admin = await login(svc, 'admin');
    const token = await login(svc, 'park_manager');
    const ws = await browserClient(svc, token);
    const ms = await closesWithin5s(ws, () => api(svc, '/api/users/park_manager', { token: admin, method: 'PATCH', body: { disabled: true } }));
    console.log(`disable → WebSocket MQTT closed in ${ms} ms`);
    expect((await devices(token)).status).toBe(401);
    expect((await api(svc, '/api/login', { body: { username: 'park_manager', password: DEMO_PASSWORD } })).status).toBe(401);
    await api(svc, '/api/users/park_manager', { token: admin, method: 'PATCH', body: { disabled: false } });
    expect((await api(svc, '/api/login', { body: { username: 'park_manager', password: DEMO_PASSWORD } })).status).toBe(200);
  });

  it('a password change by the user closes their other sessions and keeps the one that changed it', async () => {
    const mine = await login(svc, 'traffic');
    const other = await login(svc, 'traffic');
    const otherWs = await browserClient(svc, other);
    const mineWs = await browserClient(svc, mine);
    const next = 'traffic-new-password-1';
    await closesWithin5s(otherWs, async () =>
      expect((await api(svc, '/api/me/password', { token: mine, body: { current: DEMO_PASSWORD, next } })).status).toBe(204),
    );
    expect((await devices(other)).status).toBe(401);
    expect((await devices(mine)).status).toBe(200);
    expect(mineWs.connected).toBe(true);
    mineWs.end(true);
    expect((await api(svc, '/api/login', { body: { username: 'traffic', password: next } })).status).toBe(200);
    expect((await api(svc, '/api/login', { body: { username: 'traffic', password: DEMO_PASSWORD } })).status).toBe(401);
  });

  it('a password set by an admin closes every session of the user', async () => {
    const admin = await login(svc, 'admin');
    const token = await login(svc, 'inspector');
    const ws = await browserClient(svc, token);
    await closesWithin5s(ws, () => api(svc, '/api/users/inspector', { token: admin, method: 'PATCH', body: { password: 'inspector-reset-2026' } }));
    expect((await devices(token)).status).toBe(401);
  });

  it('expiry: a connection opened with a token is closed within 5 s of the token expiring', async () => {
    const token = await login(svc, 'admin');
    const ws = await browserClient(svc, token);
    const ms = await closesWithin5s(ws, async () => {
      clockMs += TOKEN_TTL_MS + 1000;
    });
    console.log(`expiry → WebSocket MQTT closed in ${ms} ms`);
    expect((await devices(token)).status).toBe(401);
  });
});

describe('sessions across a restart', () => {
  it('keeps a live token working after a restart, and a logged-out one dead', async () => {
    const live = await login(svc, 'admin');
    const dead = await login(svc, 'admin');
    await api(svc, '/api/logout', { token: dead, body: {} });
    await svc.close();
    svc = await startTestService(dir, {}, clock);
    expect((await devices(live)).status).toBe(200);
    expect((await devices(dead)).status).toBe(401);
    const ws = await browserClient(svc, live);
    expect(ws.connected).toBe(true);
    ws.end(true);
  });
});

/**
 * A real device as the README tells it to connect: an admin issues its credentials over HTTP, and
 * Mosquitto's own `mosquitto_pub` publishes with them (and, as before, with the demo's shared
 * `device` account). The same credentials cannot speak for another device.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { api, DEVICE_PASSWORD, login, serviceSuite, waitFor, waitForAlarm } from './helpers';

const run = promisify(execFile);
const suite = serviceSuite({ login: 'admin' });

/** mosquitto_pub as in the README; resolves with its exit code. */
async function mosquittoPub(user: string, password: string, topic: string, message: string, extra: string[] = []): Promise<number> {
  const args = ['-h', '127.0.0.1', '-p', String(suite.svc.mqttPort), '-u', user, '-P', password, '-q', '1', '-t', topic, '-m', message, ...extra];
  try {
    await run('mosquitto_pub', args, { timeout: 15_000 });
    return 0;
  } catch (e: any) {
    if (e.code === 'ENOENT') throw new Error('mosquitto_pub not found: apt-get install mosquitto-clients');
    return e.code as number;
  }
}

describe('mosquitto_pub', () => {
  it('publishes with credentials issued for the device: the reading lands and raises its alarm', async () => {
    const creds = (await api(suite.svc, '/api/devices/t-gas-lower/credentials', { token: suite.token, body: {} })).body;
    const code = await mosquittoPub(creds.username, creds.password, 'citytwin/v1/confined/t-gas-lower/telemetry', JSON.stringify({ ts: Date.now(), values: { h2s_ppm: 9.5, o2_pct: 20.8 } }));
    expect(code).toBe(0);
    const alarm = await waitForAlarm(suite.svc, suite.token, 't-gas-lower', 'h2s_ppm_high');
    expect(alarm).toMatchObject({ severity: 'major', value: 9.5 });
    // Its retained status, as the README shows.
    expect(await mosquittoPub(creds.username, creds.password, 'citytwin/v1/confined/t-gas-lower/status', JSON.stringify({ online: true, ts: Date.now() }), ['-r'])).toBe(0);
  });

  it("cannot use those credentials for another device's topic: nothing lands", async () => {
    const creds = (await api(suite.svc, '/api/devices/t-gas-lower/credentials', { token: suite.token, body: {} })).body;
    const before = (await api(suite.svc, '/api/health')).body.messages.rejected.forbidden ?? 0;
    await mosquittoPub(creds.username, creds.password, 'citytwin/v1/park/t-tank-1/telemetry', JSON.stringify({ ts: Date.now(), values: { temp_c: 90 } }));
    await waitFor('the refusal counted', async () => ((await api(suite.svc, '/api/health')).body.messages.rejected.forbidden ?? 0) === before + 1);
    expect((await api(suite.svc, '/api/telemetry/t-tank-1?quantity=temp_c', { token: suite.token })).body.points).toEqual([]);
    expect(await mosquittoPub(creds.username, 'wrong-secret', 'citytwin/v1/confined/t-gas-lower/telemetry', '{}')).not.toBe(0);
  });

  it('still publishes with the demo shared device account, for any registered device', async () => {
    const ts = Date.now() - 60_000;
    expect(await mosquittoPub('device', DEVICE_PASSWORD, 'citytwin/v1/park/t-tank-1/telemetry', JSON.stringify({ ts, values: { temp_c: 21.5 } }))).toBe(0);
    await waitFor('the shared account reading', async () => (await api(suite.svc, '/api/telemetry/t-tank-1?quantity=temp_c', { token: suite.token })).body.points.length === 1);
  });
});

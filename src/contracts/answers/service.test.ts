import { describe, expect, it } from 'vitest';
import { alarmEventListSchema, deviceListSchema, healthSchema, loginSchema, replaySnapshotSchema, siteListSchema, telemetrySchema } from './service';
import { checkAnswer } from './shared';
import type { z } from 'zod';

const HEALTH = {
  status: 'ok',
  broker: { mode: 'embedded', connected: true, clients: 3 },
  db: { ok: true, path: '/data/citytwin.db' },
  uptimeS: 12,
  messages: { accepted: 100, rejected: { bad_schema: 2, out_of_range: 1 } },
};
const ALARM = {
  id: 'a1',
  scene: 'confined',
  siteId: 'kq-p1-s1',
  deviceId: 'kq-p1-s1-gas-lower',
  rule: 'h2s_ppm_high',
  severity: 'critical',
  state: 'active_unack',
  message: 'H2S 20 ppm',
  value: 20,
  threshold: 14,
  raisedAt: 1,
  updatedAt: 2,
  clearedAt: null,
  ackedAt: null,
  ackedBy: null,
};
const DEVICE = {
  id: 'kq-p1-s1-gas-lower',
  scene: 'confined',
  siteId: 'kq-p1-s1',
  kind: 'gas_detector',
  name: 'Pit 1 lower',
  nameZh: '1号池 下',
  position: [120.7, 30.21, -3],
  quantities: ['h2s_ppm', 'o2_pct'],
  intervalS: 5,
  level: 'lower',
};
const SITE = { id: 'kq-p1-s1', scene: 'confined', kind: 'space', name: 'Pit 1', nameZh: '1号池', parentId: 'kq-p1', geometry: { type: 'Point', coordinates: [120.7, 30.21] } };

interface Row {
  what: string;
  schema: z.ZodType;
  answer: unknown;
}
const titled = (rows: Row[]): [string, Row][] => rows.map((r) => [r.what, r]);

describe('answers every scene shares', () => {
  it.each(
    titled([
      { what: 'health with a reject reason newer than this app', schema: healthSchema, answer: HEALTH },
      { what: 'health of a standby on PostgreSQL', schema: healthSchema, answer: { ...HEALTH, db: { ok: true, engine: 'postgres', dbBytes: 9, walBytes: 0 }, ha: { role: 'standby', instanceId: 'b' } } },
      { what: 'a login without the user name', schema: loginSchema, answer: { token: 't', role: 'inspector' } },
      { what: 'a device of a kind this app does not draw', schema: deviceListSchema, answer: [DEVICE, { ...DEVICE, id: 'cam-1', kind: 'camera', quantities: [], level: undefined }] },
      { what: 'sites of every geometry', schema: siteListSchema, answer: [SITE, { ...SITE, id: 'seg', kind: 'segment', geometry: { type: 'LineString', coordinates: [[1, 2], [3, 4]] }, props: { roadClass: 'arterial' } }, { ...SITE, id: 'e', kind: 'enterprise', geometry: { type: 'MultiPolygon', coordinates: [[[[1, 2], [3, 4], [1, 2]]]] } }] },
      { what: 'a telemetry series', schema: telemetrySchema, answer: { deviceId: 'd', quantity: 'h2s_ppm', points: [[1, 0.2], [2, 0.3]] } },
      { what: 'a replay snapshot with an open alarm', schema: replaySnapshotSchema, answer: { at: 5, ts: 5, readings: [['d', 4, { h2s_ppm: 1 }]], status: [['d', 'online']], alarms: [ALARM] } },
      { what: "an alarm's transitions", schema: alarmEventListSchema, answer: [{ ts: 1, action: 'raised', user: null, comment: null, state: 'active_unack', severity: 'critical' }, { ts: 2, action: 'shelved', user: 'u', comment: 'maintenance', state: 'shelved', severity: 'critical', shelvedUntil: 9 }] },
    ]),
  )('accepts %s', (_w, { schema, answer }) => {
    expect(checkAnswer(schema, answer)).toMatchObject({ ok: true });
  });

  it.each(
    titled([
      { what: 'health that is only a word', schema: healthSchema, answer: 'ok' },
      { what: 'a login for a role that does not exist', schema: loginSchema, answer: { token: 't', role: 'root' } },
      { what: 'a login without a token', schema: loginSchema, answer: { token: '', role: 'admin' } },
      { what: 'a device of a scene that does not exist', schema: deviceListSchema, answer: [{ ...DEVICE, scene: 'flood' }] },
      { what: 'a device position without its height', schema: deviceListSchema, answer: [{ ...DEVICE, position: [120.7, 30.21] }] },
      { what: 'a site whose point has one coordinate', schema: siteListSchema, answer: [{ ...SITE, geometry: { type: 'Point', coordinates: [120.7] } }] },
      { what: 'telemetry points as objects', schema: telemetrySchema, answer: { deviceId: 'd', quantity: 'q', points: [{ ts: 1, v: 2 }] } },
      { what: 'a replay snapshot with a malformed alarm', schema: replaySnapshotSchema, answer: { at: 5, ts: 5, readings: [], status: [], alarms: [{ ...ALARM, severity: 'fatal' }] } },
      { what: 'a replay snapshot without its instant', schema: replaySnapshotSchema, answer: { ts: 5, readings: [], status: [], alarms: [] } },
    ]),
  )('rejects %s', (_w, { schema, answer }) => {
    expect(checkAnswer(schema, answer)).toMatchObject({ ok: false, reason: expect.any(String) });
  });
});

/**
 * The service's fast paths give the answers of the slow ones they skip: the telemetry check without
 * zod rejects exactly what the schema rejects, with the same detail, and a quantity the alarm
 * engine finds quiet is one for which thresholdConditions finds no condition, and the geofences'
 * box check before turf answers as turf alone.
 */
import { describe, expect, it } from 'vitest';
import { decodeJson, validateTelemetryItem, isWellFormedTelemetry, type Quantity, type QuantityLimits } from '../../src/contracts';
import { booleanPointInPolygon } from '@turf/turf';
import { DEFAULT_LIMITS, STRICT_HIGH, isInsideArea, isQuiet, thresholdConditions, type AreaGeometry } from '../../src/domain';

const NOW = Date.UTC(2026, 5, 1, 8);
const GAS = ['o2_pct', 'h2s_ppm', 'co_ppm', 'nh3_ppm', 'lel_pct'];

/** Payloads as devices send them (JSON), well-formed and not. */
const JSON_PAYLOADS = [
  `{"ts":${NOW},"values":{"o2_pct":20.9,"h2s_ppm":0.2}}`,
  `{"ts":"2026-06-01T07:59:00Z","seq":7,"values":{"co_ppm":1}}`,
  `{"values":{"o2_pct":20.9}}`,
  `{"ts":${NOW},"seq":1.5,"values":{"o2_pct":20.9}}`,
  `{"ts":${NOW},"seq":"7","values":{"o2_pct":20.9}}`,
  `{"ts":${NOW},"seq":9007199254740993,"values":{"o2_pct":20.9}}`,
  `{"ts":${NOW},"seq":null,"values":{"o2_pct":20.9}}`,
  `{"ts":null,"values":{"o2_pct":20.9}}`,
  `{"ts":true,"values":{"o2_pct":20.9}}`,
  `{"ts":{},"values":{"o2_pct":20.9}}`,
  `{"ts":[${NOW}],"values":{"o2_pct":20.9}}`,
  `{"ts":1e400,"values":{"o2_pct":20.9}}`,
  `{"ts":-5,"values":{"o2_pct":20.9}}`,
  `{"ts":"yesterday","values":{"o2_pct":20.9}}`,
  `{"ts":${NOW + 3_600_000},"values":{"o2_pct":20.9}}`,
  `{"ts":${NOW}}`,
  `{"ts":${NOW},"values":null}`,
  `{"ts":${NOW},"values":[20.9]}`,
  `{"ts":${NOW},"values":"o2_pct=20.9"}`,
  `{"ts":${NOW},"values":5}`,
  `{"ts":${NOW},"values":{}}`,
  `{"ts":${NOW},"values":{"o2_pct":"20.9"}}`,
  `{"ts":${NOW},"values":{"o2_pct":null}}`,
  `{"ts":${NOW},"values":{"o2_pct":120}}`,
  `{"ts":${NOW},"values":{"speed_kmh":40}}`,
  `{"ts":${NOW},"values":{"not_a_quantity":1}}`,
  `{"ts":${NOW},"values":{"__proto__":{"o2_pct":20.9}}}`,
  `{"ts":${NOW},"values":{"constructor":1}}`,
  `{"ts":${NOW},"values":{"o2_pct":20.9},"extra":{"nested":[1,2]}}`,
  `{"ts":${NOW},"values":{"o2_pct":20.9,"o2_pct":21}}`,
  `[]`,
  `null`,
  `"text"`,
  `42`,
];

/** Objects no JSON makes but a caller might pass. */
const OBJECTS: unknown[] = [
  undefined,
  { ts: NOW, values: new Map([['o2_pct', 20.9]]) },
  { ts: NOW, values: Object.create({ o2_pct: 20.9 }) },
  { ts: NOW, values: Object.assign(Object.create(null), { o2_pct: 20.9 }) },
  { ts: NOW, values: { o2_pct: 20.9, [Symbol('s')]: 1 } },
  { ts: NOW, values: { o2_pct: NaN } },
  { ts: NaN, values: { o2_pct: 20.9 } },
  { ts: Infinity, values: { o2_pct: 20.9 } },
  { ts: NOW, seq: Infinity, values: { o2_pct: 20.9 } },
  { ts: NOW, values: new (class Values { o2_pct = 20.9 })() },
  Object.assign(new Date(NOW), { values: { o2_pct: 20.9 } }),
];

describe('the telemetry fast path', () => {
  const payloads = [...JSON_PAYLOADS.map((p) => (decodeJson(p) as { value: unknown }).value), ...OBJECTS];
  it.each(payloads.map((p, i) => [i, p]))('payload %i: the same answer as the schema alone', (_i, payload) => {
    for (const allowed of [GAS, undefined]) {
      expect(validateTelemetryItem(payload, NOW, allowed)).toEqual(validateTelemetryItem(payload, NOW, allowed, true));
    }
  });

  it('takes the fast path for the common payloads (so the comparison above means something)', () => {
    const fast = payloads.filter(isWellFormedTelemetry);
    expect(fast.length).toBeGreaterThanOrEqual(12);
    expect(fast).toContainEqual({ ts: NOW, values: { o2_pct: 20.9, h2s_ppm: 0.2 } });
  });

  it('still says why a payload is refused', () => {
    expect(validateTelemetryItem({ ts: NOW, values: null }, NOW, GAS)).toEqual({ ok: false, reject: { reason: 'bad_schema', detail: expect.stringMatching(/record/) } });
    expect(validateTelemetryItem({ ts: NOW }, NOW, GAS)).toEqual({ ok: false, reject: { reason: 'bad_schema', detail: 'values is missing' } });
    expect(validateTelemetryItem({ ts: NOW, values: { o2_pct: 120 } }, NOW, GAS)).toMatchObject({ ok: false, reject: { reason: 'out_of_range' } });
  });
});

describe('isQuiet', () => {
  const cases: [string, Quantity, QuantityLimits][] = [];
  for (const [kind, limits] of Object.entries(DEFAULT_LIMITS)) for (const [q, l] of Object.entries(limits!)) cases.push([kind, q as Quantity, l]);
  cases.push(['high only', 'temp_c', { high: 40 }], ['highHigh only', 'temp_c', { highHigh: 50 }], ['lowLow only', 'level_pct', { lowLow: 2 }], ['none', 'temp_c', {}]);

  it.each(cases)('%s %s: quiet exactly where no threshold condition holds', (_kind, q, l) => {
    const marks = Object.values(l) as number[];
    const values = [-1e9, 0, 1e9, ...marks.flatMap((t) => [t - 1, t - 1e-9, t, t + 1e-9, t + 1])];
    for (const v of values) {
      const none = thresholdConditions({ [q]: v }, { [q]: l }, new Set()).length === 0;
      expect(isQuiet(v, l, STRICT_HIGH.has(q)), `${q} = ${v}`).toBe(none);
    }
  });
});

describe('isInsideArea', () => {
  const square: [number, number][] = [[120, 30], [120.01, 30], [120.01, 30.01], [120, 30.01], [120, 30]];
  const areas: AreaGeometry[] = [
    { type: 'Polygon', coordinates: [square, [[120.004, 30.004], [120.006, 30.004], [120.006, 30.006], [120.004, 30.006], [120.004, 30.004]]] },
    { type: 'MultiPolygon', coordinates: [[square], [square.map(([x, y]): [number, number] => [x + 0.02, y + 0.02])]] },
  ];
  it('answers as turf on, inside, outside and beyond the box, holes and parts included', () => {
    const steps = [-0.005, 0, 0.001, 0.004, 0.005, 0.006, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035];
    for (const area of areas) {
      for (const dx of steps) for (const dy of steps) {
        const [lon, lat] = [120 + dx, 30 + dy];
        expect(isInsideArea(lon, lat, area), `${area.type} ${lon},${lat}`).toBe(booleanPointInPolygon([lon, lat], area));
      }
    }
  });
});

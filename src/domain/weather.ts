import { detail, type RoadClass, type SegmentControl, type Values } from '../contracts';
import type { Condition } from './conditions';
import { congestionCriterion } from './congestion';

/**
 * Fog bands of 道路交通安全法实施条例 Art. 81: visibility below 200 m limits expressways to
 * 60 km/h, below 100 m to 40 km/h, below 50 m to 20 km/h and traffic leaves at the next exit.
 */
export const FOG_BANDS = [
  { belowM: 50, limitKmh: 20, exit: true, severity: 'critical' },
  { belowM: 100, limitKmh: 40, exit: false, severity: 'major' },
  { belowM: 200, limitKmh: 60, exit: false, severity: 'minor' },
] as const;

/** The fog band a visibility falls in, or null for clear air. */
export function fogBand(visibilityM: number): (typeof FOG_BANDS)[number] | null {
  for (const band of FOG_BANDS) if (visibilityM < band.belowM) return band;
  return null;
}

/** Fog and ice conditions of a road weather station's latest values. */
export function weatherConditions(values: Values, activeRules: ReadonlySet<string> = new Set()): Condition[] {
  const out: Condition[] = [];
  const vis = values.visibility_m;
  if (vis !== undefined) {
    // Deadband: an active fog alarm clears only above 220 m.
    const band = fogBand(vis) ?? (activeRules.has('fog') && vis < 220 ? FOG_BANDS[2] : null);
    if (band) {
      out.push({
        rule: 'fog',
        severity: band.severity,
        value: vis,
        threshold: band.belowM,
        message: `visibility ${Math.round(vis)} m < ${band.belowM} m: limit ${band.limitKmh} km/h${band.exit ? ', exit' : ''}`,
        // The service adds the segments the station covers (it knows the registry).
        detail: detail('fog', { visibilityM: Math.round(vis), belowM: band.belowM, limitKmh: band.limitKmh, exit: band.exit, segmentIds: [] }),
      });
    }
  }
  const t = values.road_temp_c;
  const p = values.precip_mmh;
  if (t !== undefined && p !== undefined) {
    // Ice: surface below 0 °C with precipitation; clears above +0.5 °C or when dry.
    const freezing = t < 0 || (activeRules.has('ice') && t < 0.5);
    if (freezing && p > 0) {
      out.push({
        rule: 'ice',
        severity: 'major',
        value: t,
        threshold: 0,
        message: `road ${t.toFixed(1)} °C with ${p} mm/h precipitation: ice`,
        detail: detail('ice', { roadTempC: Math.round(t * 10) / 10, precipMmh: p, segmentIds: [] }),
      });
    }
  }
  return out;
}

/**
 * Control measures of 道路交通安全法实施条例 第八十一条 (expressways in fog): visibility < 200 m —
 * at most 60 km/h and 100 m or more from the vehicle ahead; < 100 m — 40 km/h and 50 m; < 50 m —
 * 20 km/h and leave at the nearest exit. The signs name the lights the article requires.
 */
const FOG_CONTROLS: readonly (SegmentControl & { belowM: number })[] = [
  { belowM: 50, level: 'fog_50', speedLimitKmh: 20, spacingM: null, action: 'exit', vmsText: '浓雾 限速20 请从最近出口驶离', vmsTextEn: 'THICK FOG 20 km/h LEAVE AT NEXT EXIT' },
  { belowM: 100, level: 'fog_100', speedLimitKmh: 40, spacingM: 50, action: 'limit', vmsText: '大雾 限速40 车距50米以上 开雾灯双闪', vmsTextEn: 'DENSE FOG 40 km/h KEEP 50 m HAZARD LIGHTS ON' },
  { belowM: 200, level: 'fog_200', speedLimitKmh: 60, spacingM: 100, action: 'limit', vmsText: '雾天 限速60 车距100米以上 开雾灯', vmsTextEn: 'FOG 60 km/h KEEP 100 m FOG LIGHTS ON' },
];

/**
 * Ice: the road authority closes the segment (道路交通安全法 第三十九条: traffic may be restricted or
 * forbidden as road conditions require); traffic is sent round it.
 */
export const ICE_CONTROL: SegmentControl = {
  level: 'ice',
  speedLimitKmh: null,
  spacingM: null,
  action: 'close',
  vmsText: '路面结冰 道路封闭 请绕行',
  vmsTextEn: 'ICE ROAD CLOSED USE DETOUR',
};

/** What the control rule reads of a weather station's values: visibility, and ice as the ice alarm judges it. */
export function stationWeather(v: Values): { visibilityM: number | null; ice: boolean } {
  return { visibilityM: v.visibility_m ?? null, ice: weatherConditions(v).some((c) => c.rule === 'ice') };
}

/**
 * The control of one segment from its weather station's readings: ice closes any road; fog limits
 * expressways and highways (Art. 81 is the expressway article; town roads keep their own limits).
 * Null when nothing applies.
 */
export function segmentControl(w: { visibilityM: number | null; ice: boolean }, roadClass: RoadClass | null): SegmentControl | null {
  if (w.ice) return ICE_CONTROL;
  if (w.visibilityM === null || roadClass === null || congestionCriterion(roadClass) !== 'highway') return null;
  const fog = FOG_CONTROLS.find((c) => (w.visibilityM as number) < c.belowM);
  if (!fog) return null;
  const { belowM: _belowM, ...control } = fog;
  return control;
}

const CONTROL_RANK: Record<SegmentControl['level'], number> = { ice: 0, fog_50: 1, fog_100: 2, fog_200: 3 };

/**
 * Controls per segment from the stations that cover it (a station's `segmentIds`): where two
 * stations cover one segment the stricter control holds. Segments without a control are absent.
 */
export function segmentControls(
  stations: readonly { segmentIds: readonly string[]; visibilityM: number | null; ice: boolean }[],
  roadClassOf: (segmentId: string) => RoadClass | null,
): Map<string, SegmentControl> {
  const out = new Map<string, SegmentControl>();
  for (const st of stations) {
    for (const id of st.segmentIds) {
      const c = segmentControl(st, roadClassOf(id));
      const prev = out.get(id);
      if (c && (!prev || CONTROL_RANK[c.level] < CONTROL_RANK[prev.level])) out.set(id, c);
    }
  }
  return out;
}

/** The message signs to publish: one line per distinct sign text, with the segments it applies to, strictest first. */
export function signsToPublish(controls: ReadonlyMap<string, SegmentControl>): { control: SegmentControl; segmentIds: string[] }[] {
  const byText = new Map<string, { control: SegmentControl; segmentIds: string[] }>();
  for (const [id, c] of controls) {
    const entry = byText.get(c.vmsText) ?? { control: c, segmentIds: [] };
    entry.segmentIds.push(id);
    byText.set(c.vmsText, entry);
  }
  return [...byText.values()]
    .map((e) => ({ ...e, segmentIds: e.segmentIds.sort() }))
    .sort((a, b) => CONTROL_RANK[a.control.level] - CONTROL_RANK[b.control.level]);
}

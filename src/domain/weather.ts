import type { Values } from '../contracts';
import type { Condition } from './conditions';

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
      });
    }
  }
  const t = values.road_temp_c;
  const p = values.precip_mmh;
  if (t !== undefined && p !== undefined) {
    // Ice: surface below 0 °C with precipitation; clears above +0.5 °C or when dry.
    const freezing = t < 0 || (activeRules.has('ice') && t < 0.5);
    if (freezing && p > 0) {
      out.push({ rule: 'ice', severity: 'major', value: t, threshold: 0, message: `road ${t.toFixed(1)} °C with ${p} mm/h precipitation: ice` });
    }
  }
  return out;
}

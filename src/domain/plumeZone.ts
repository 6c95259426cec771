/**
 * The leak danger zone of contract v1.1: a keyhole (isolation circle + downwind sector, plume.ts)
 * whose length is the distance at which a Gaussian plume (dispersion.ts) of the substance falls to
 * its endpoint (substances.ts), with the Pasquill–Gifford stability of the hour (stability.ts). So
 * the zone is longest in light wind on a clear night (F) — the planning worst case of ERG and EPA
 * RMP — and depends on what leaked. The planning release rate is an assumption, said on the zone.
 */
import type { PlumeExplanation } from '../contracts';
import { distanceToEndpointM } from './dispersion';
import { PLUME_DEFAULTS, drawZone, type ZonePolygon, type ZoneShape } from './plume';
import { stabilityAt } from './stability';
import { endpointGm3, type Substance } from './substances';

export interface PlumeZoneInput {
  sourceLonDeg: number;
  sourceLatDeg: number;
  /** Meteorological direction the wind blows FROM, degrees clockwise from north; null = unknown. */
  windFromDeg: number | null;
  /** Wind at 10 m, m/s; null = unknown (treated as calm). */
  windSpeedMs: number | null;
  substance: Substance;
  /** Total cloud cover, tenths, when a station reports it. */
  cloudCoverTenths?: number | null;
  ceilingM?: number | null;
  /** Release rate, g/s; default the planning release of `params`. */
  releaseRateGs?: number;
}

export interface PlumeZoneParams {
  /**
   * Planning release, g/s, when none is known: about a 10 mm hole in a liquefied-gas vessel (the
   * standard "continuous release from a 10 mm hole" of CPR 18E, the Purple Book; liquid ammonia at
   * 7.6 bar through 10 mm ≈ 1.5 kg/s). @default 1000
   */
  releaseRateGs: number;
  /** Per substance id, overriding releaseRateGs (a site's own scenario). @default {} */
  releaseBySubstanceGs: Readonly<Record<string, number>>;
  /** Cap, m: beyond ~10 km a steady plume from one station means little (ERG's tables stop at 11 km). @default 10000 */
  maxLengthM: number;
  /** The plume's wind floor, m/s: a Gaussian plume is not valid in calmer air (ALOHA's limit). @default 1 */
  minWindMs: number;
  /** Below this the wind has no direction worth trusting: a circle. @default 0.5 */
  calmWindMs: number;
  /** Sector half-angle = min + spread / u (light winds meander). @default 20 and 40 */
  minHalfAngleDeg: number;
  halfAngleSpread: number;
  /** Isolation radius = max(minIsolationM, fraction · length). @default 0.1 and 50 */
  isolationFraction: number;
  minIsolationM: number;
}

export const PLUME_ZONE_DEFAULTS: PlumeZoneParams = {
  releaseRateGs: 1000,
  releaseBySubstanceGs: {},
  maxLengthM: 10_000,
  minWindMs: 1,
  calmWindMs: PLUME_DEFAULTS.calmWindMs,
  minHalfAngleDeg: PLUME_DEFAULTS.minHalfAngleDeg,
  halfAngleSpread: PLUME_DEFAULTS.halfAngleSpread,
  isolationFraction: PLUME_DEFAULTS.isolationFraction,
  minIsolationM: PLUME_DEFAULTS.minIsolationM,
};

export interface PlumeZone {
  polygon: ZonePolygon;
  shape: ZoneShape;
  explanation: PlumeExplanation;
}

/** The zone of a release at `nowMs` (the hour sets day or night), its shape and why it is that long. */
export function plumeZone(input: PlumeZoneInput, nowMs: number, params: Partial<PlumeZoneParams> = {}): PlumeZone {
  const p = { ...PLUME_ZONE_DEFAULTS, ...params };
  const u = input.windSpeedMs;
  const known = u !== null && Number.isFinite(u) && u >= 0;
  const calm = !known || (u as number) < p.calmWindMs || input.windFromDeg === null || !Number.isFinite(input.windFromDeg);
  const plumeWind = Math.max(p.minWindMs, known ? (u as number) : 0);
  const sky = stabilityAt({ lonDeg: input.sourceLonDeg, latDeg: input.sourceLatDeg, windSpeedMs: known ? (u as number) : 0, cloudCoverTenths: input.cloudCoverTenths, ceilingM: input.ceilingM }, nowMs);
  const releaseRateGs = input.releaseRateGs ?? p.releaseBySubstanceGs[input.substance.id] ?? p.releaseRateGs;
  const { lengthM, capped } = distanceToEndpointM(sky.stability, releaseRateGs, plumeWind, endpointGm3(input.substance), p.maxLengthM);
  const shape: ZoneShape = {
    lengthM,
    halfAngleDeg: calm ? 180 : Math.min(90, p.minHalfAngleDeg + p.halfAngleSpread / plumeWind),
    isolationM: Math.max(p.minIsolationM, p.isolationFraction * lengthM),
    calm,
    towardDeg: calm ? null : ((((input.windFromDeg as number) + 180) % 360) + 360) % 360,
  };
  return {
    polygon: drawZone(input.sourceLonDeg, input.sourceLatDeg, shape),
    shape,
    explanation: {
      substance: input.substance.id,
      stability: sky.stability,
      endpointPpm: input.substance.endpointPpm,
      endpointKind: input.substance.endpointKind,
      lengthM: Math.round(lengthM),
      capped,
      releaseRateGs,
      releaseBasis: 'planning',
      windSpeedMs: known ? (u as number) : null,
      daytime: sky.daytime,
      sunElevationDeg: Math.round(sky.sunElevationDeg * 10) / 10,
      cloudCoverTenths: input.cloudCoverTenths ?? null,
      netRadiationIndex: sky.netRadiationIndex,
    },
  };
}

/**
 * Traffic detector stream: one density profile over the local day, turned into speed, flow and
 * occupancy with Greenshields' model so the three stay consistent, also when a scenario forces
 * the speed down (the density then follows the congested branch).
 */
import type { RoadClass, Values } from '../contracts';
import { bell, localWeekday } from './clock';
import { signed, smooth, streamKey, unit } from './rng';
import type { StreamContext } from './streams';

/** Free-flow speed by class when a segment has no `freeFlowKmh`: G60 limit 120, highway 100, urban 80 / 60 / 40. */
const FREE_FLOW_KMH: Record<RoadClass, number> = { expressway: 110, highway: 90, urban_expressway: 75, arterial: 60, secondary: 45 };

/** Jam density per lane, veh/km: sets a capacity of vf·kj/4 ≈ 2,200 veh/h/lane at 110 km/h. */
const JAM_DENSITY = 80;
/** Effective length seen by a loop detector (vehicle + loop), km: occupancy % = density × 0.65. */
const EFFECTIVE_LENGTH_KM = 0.0065;

/**
 * Density per lane, veh/km, at local hour: ~2 at night, ~11 by day, peaks of +30 at 08:00 and +32
 * at 18:00 (the 7–9 and 17–19 rush hours), weaker at weekends. `busy` scales a segment's demand.
 */
export function demandDensity(tMs: number, busy: number): number {
  const weekend = [0, 6].includes(localWeekday(tMs));
  const day = Math.min(bell(tMs, 13.5, 4.5) * 1.6, 1); // flat by day, falls off 22–06 h
  const peaks = (weekend ? 0.35 : 1) * (30 * bell(tMs, 8, 0.55) + 32 * bell(tMs, 18, 0.6));
  return 2 + busy * (9 * day + peaks);
}

export function trafficValues(ctx: StreamContext): Values {
  const props = ctx.site?.props ?? {};
  const roadClass: RoadClass = props.roadClass ?? 'arterial';
  const vf = typeof props.freeFlowKmh === 'number' ? props.freeFlowKmh : FREE_FLOW_KMH[roadClass];
  const lanes = typeof props.lanes === 'number' && props.lanes > 0 ? props.lanes : 2;
  const key = streamKey(ctx.seed, ctx.device.id, 'traffic');
  const busy = 0.75 + 0.5 * unit(key, 0); // some segments are busier than others
  const k0 = demandDensity(ctx.tMs, busy) * (1 + 0.08 * smooth(key, ctx.tMs, 300) + 0.04 * signed(key ^ 1, ctx.tMs));
  const k1 = Math.min(k0, JAM_DENSITY * 0.95);
  // Greenshields: v = vf (1 − k/kj); a forced speed maps back to the density that explains it.
  const speed = ctx.override('speed_kmh', vf * (1 - k1 / JAM_DENSITY));
  const density = Math.max(0.5, JAM_DENSITY * (1 - speed / vf));
  const measured = Math.max(3, speed + 1.5 * signed(key ^ 2, ctx.tMs)); // spot-speed noise ±1.5 km/h
  return {
    speed_kmh: measured,
    flow_vph: ctx.override('flow_vph', speed * density * lanes),
    occupancy_pct: ctx.override('occupancy_pct', density * EFFECTIVE_LENGTH_KM * 100),
  };
}

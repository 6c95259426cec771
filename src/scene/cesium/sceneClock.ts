/**
 * The globe's own Cesium Clock follows the display clock (the one time cursor): live, it
 * runs on the system clock; in replay it stands at the replayed instant (src/state/clock.ts), so
 * anything time-dynamic that Cesium draws — a sampled position, the sun, a time-tagged property —
 * shows that instant too. The replay bar's Timeline drives the cursor; this only follows it.
 */
import { ClockStep, JulianDate, type Clock, type Scene } from 'cesium';
import { clockIsReplay, nowMs, onClockChange } from '../../state/clock';

export interface SceneClock {
  /** The Cesium clock's current time, epoch ms. */
  ms(): number;
  destroy(): void;
}

/** Binds `clock` to the display clock; `scene` is asked to redraw when the instant moves. */
export function bindSceneClock(clock: Clock, scene: Scene): SceneClock {
  const follow = (): void => {
    if (clockIsReplay()) {
      // Frozen at the cursor: the globe shows that instant until the cursor moves.
      clock.shouldAnimate = false;
      clock.currentTime = JulianDate.fromDate(new Date(nowMs()));
    } else {
      clock.clockStep = ClockStep.SYSTEM_CLOCK;
      clock.shouldAnimate = true;
      clock.currentTime = JulianDate.now();
    }
    scene.requestRender();
  };
  follow();
  const off = onClockChange(follow);
  return {
    ms: () => JulianDate.toDate(clock.currentTime).getTime(),
    destroy: off,
  };
}

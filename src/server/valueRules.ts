/**
 * A device's value rules as the alarm engine judges them on every reading: `{q}_high` / `{q}_low`
 * per limit, fog and ice for a weather station. Their subjects and keys are worked out once per
 * device definition (built on every reading before, these strings and objects were a fifth of the
 * engine's time at 25,000 devices: fresh keys are hashed again on every map look-up), and a reading
 * evaluates only the rules of the quantities it carries.
 */
import type { Device, Quantity, QuantityLimits, Values } from '../contracts';
import { STRICT_HIGH, isQuiet, limitsFor, thresholdConditions, weatherConditions, type Condition } from '../domain';
import type { SceneRules, Subject } from './alarmTypes';

export const deviceKey = (deviceId: string, rule: string): string => `${deviceId}|${rule}`;

/** A value rule's subject, with the rule's name. */
export type RuleSubject = Subject & { rule: string };

export interface QuantityPlan {
  quantity: Quantity;
  limits: QuantityLimits;
  /** The limits of this quantity alone, as thresholdConditions takes them. */
  only: Partial<Record<Quantity, QuantityLimits>>;
  strict: boolean;
  high: RuleSubject;
  low: RuleSubject;
}

export interface DevicePlan {
  /** The definition the plan was made from: a changed device (new limits) gets a new plan. */
  device: Device;
  quantities: QuantityPlan[];
  /** Fog and ice, for a weather station; empty otherwise. */
  weather: RuleSubject[];
  stale: RuleSubject;
  /** Every value rule's subject, in the order the rules are judged. */
  all: RuleSubject[];
}

export function deviceSubject(device: Pick<Device, 'id' | 'scene' | 'siteId'>, rule: string): RuleSubject {
  return { key: deviceKey(device.id, rule), scene: device.scene, siteId: device.siteId, deviceId: device.id, rule };
}

export function devicePlan(device: Device): DevicePlan {
  const quantities: QuantityPlan[] = [];
  for (const [q, limits] of Object.entries(limitsFor(device)) as [Quantity, QuantityLimits][]) {
    quantities.push({ quantity: q, limits, only: { [q]: limits }, strict: STRICT_HIGH.has(q), high: deviceSubject(device, `${q}_high`), low: deviceSubject(device, `${q}_low`) });
  }
  const weather = device.kind === 'weather' ? [deviceSubject(device, 'fog'), deviceSubject(device, 'ice')] : [];
  return { device, quantities, weather, stale: deviceSubject(device, 'stale'), all: [...quantities.flatMap((p) => [p.high, p.low]), ...weather] };
}

/** What the value rules read and do of the engine's alarms. */
export interface RuleEngine {
  isActive(key: string): boolean;
  isPending(key: string): boolean;
  assert(subject: Subject, cond: Condition | null, nowMs: number): void;
  /** What re-asserting an unchanged pending condition would do: raise it once its on-delay has passed. */
  judgeIfPending(key: string, nowMs: number): void;
}

export class ValueRules {
  private readonly plans = new Map<string, DevicePlan>();
  /** Devices whose every rule is evaluated on their next reading (something but their readings touched their alarms). */
  private readonly fullNext = new Set<string>();

  constructor(private readonly engine: RuleEngine) {}

  /** The device's rules, keys and subjects; a new plan (first reading, changed definition) evaluates every rule once. */
  plan(device: Device): DevicePlan {
    let plan = this.plans.get(device.id);
    if (plan?.device !== device) {
      plan = devicePlan(device);
      this.plans.set(device.id, plan);
      this.fullNext.add(device.id);
    }
    return plan;
  }

  /** Every rule of the device is evaluated on its next reading. */
  evaluateAllNext(deviceId: string): void {
    this.fullNext.add(deviceId);
  }

  /** Every device's rules are evaluated on its next reading (restart, registry change). */
  clear(): void {
    this.plans.clear();
    this.fullNext.clear();
  }

  /**
   * Evaluates the device's latest merged values. `changed`: the quantities this reading carried; the
   * rules of the others are not evaluated again, as their values and alarms are as they were (a
   * pending one is still judged for its on-delay). A quiet quantity (inside its limits, nothing
   * pending or active) is skipped either way: asserting nothing there changes nothing.
   */
  judge(device: Device, values: Values, nowMs: number, changed: Values | undefined, scene: SceneRules | undefined): void {
    const e = this.engine;
    const plan = this.plan(device);
    const all = changed === undefined || this.fullNext.delete(device.id);
    for (const qp of plan.quantities) {
      if (!all && changed[qp.quantity] === undefined) {
        e.judgeIfPending(qp.high.key, nowMs);
        e.judgeIfPending(qp.low.key, nowMs);
        continue;
      }
      const highActive = e.isActive(qp.high.key);
      const lowActive = e.isActive(qp.low.key);
      const v = values[qp.quantity];
      if (!highActive && !lowActive && !e.isPending(qp.high.key) && !e.isPending(qp.low.key) && (v === undefined || isQuiet(v, qp.limits, qp.strict))) continue;
      const active = new Set<string>();
      if (highActive) active.add(qp.high.rule);
      if (lowActive) active.add(qp.low.rule);
      let high: Condition | null = null;
      let low: Condition | null = null;
      for (const c of thresholdConditions(values, qp.only, active)) {
        if (c.rule === qp.high.rule) high = scene ? scene.decorate(device, c) : c;
        else low = scene ? scene.decorate(device, c) : c;
      }
      e.assert(qp.high, high, nowMs);
      e.assert(qp.low, low, nowMs);
    }
    if (plan.weather.length > 0) {
      const active = new Set(plan.weather.filter((s) => e.isActive(s.key)).map((s) => s.rule));
      const conds = new Map(weatherConditions(values, active).map((c) => [c.rule, scene ? scene.decorate(device, c) : c]));
      for (const s of plan.weather) e.assert(s, conds.get(s.rule) ?? null, nowMs);
    }
  }
}

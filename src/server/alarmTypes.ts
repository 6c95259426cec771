/**
 * The types the alarm engine shares with the scenes' rules (alarms.ts re-exports them): what an
 * alarm is about, the hooks a scene's rules plug in with, and an operator action's answer.
 */
import type { AlarmRecord, Device, DeviceEvent, Scene, Values } from '../contracts';
import type { Condition, ShelveContext } from '../domain';

/** What an alarm is about: one alarm per subject key while open. */
export interface Subject {
  key: string;
  scene: Scene;
  siteId: string | null;
  deviceId: string | null;
}

/**
 * A scene's own rules, as the engine calls them: each call is about a device or an alarm of that
 * scene only. The rules assert their conditions back through `AlarmEngine.assert`.
 */
export interface SceneRules {
  /** A device's merged latest values, after its threshold conditions were asserted. */
  onValues(device: Device, values: Values, nowMs: number): void;
  /** A newly stored event (a duplicate, stored once, is not passed again). */
  onEvent(device: Device, event: DeviceEvent, nowMs: number): void;
  /** Why a valid event may not be applied (the device may not act on what it names), or null; asked before it is stored. */
  refuseEvent(device: Device, event: DeviceEvent): string | null;
  /** A device's threshold or weather condition before it is asserted: may add context to its message. */
  decorate(device: Device, cond: Condition): Condition;
  /** Every stored transition of one of the scene's alarms (raise, update, clear, ack, shelve, …). */
  onAlarm(alarm: AlarmRecord, key: string): void;
  /** What the shelving rule needs of the alarm's place now (a confined space's people and permit). */
  shelveContext(alarm: AlarmRecord): ShelveContext;
}

export type ValueRule = SceneRules['onValues'];
export type EventRule = SceneRules['onEvent'];
export type ConditionDecorator = SceneRules['decorate'];

export type OperatorResult =
  | { ok: true; alarm: AlarmRecord }
  | { ok: false; status: 400 | 403 | 404 | 409; error: string; message: string; why?: string };

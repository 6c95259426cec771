/**
 * What the confined-space rules know of a space's gas detectors (their silence and active alarms),
 * read from the live states or from a replay (`TwinAt`) alike.
 */
import type { Device } from '../../../contracts';
import { limitsFor, type DetectorContext, type SpaceContext } from '../../../domain';
import type { DeviceStates, OpenAlarms } from '../../history/twinAt';
import type { SpaceIndex } from './rules';

/**
 * What the domain rules need to know of a space's detectors, from live or replayed states.
 * @param silenceFromMs silence counts from here at the earliest (live: the service start, which
 *   could hear nothing before); null counts from the last stored reading alone (replay).
 */
export function spaceContext(space: SpaceIndex, devices: DeviceStates, alarms: Pick<OpenAlarms, 'openAlarm'>, silenceFromMs: number | null): SpaceContext {
  const detectors = space.detectors.map((dev): DetectorContext => {
    const st = devices.state(dev.id);
    const heard = silenceFromMs === null ? (st?.heardAt ?? null) : Math.max(st?.heardAt ?? silenceFromMs, silenceFromMs);
    return { deviceId: dev.id, level: dev.level, intervalS: dev.intervalS, lastHeardMs: heard, offline: st?.online === false, alarms: activeAlarms(dev, alarms), values: st?.values };
  });
  const maxPersons = space.site.props?.maxPersons;
  return { maxPersons: typeof maxPersons === 'number' ? maxPersons : undefined, detectors };
}

/** A detector's threshold rules and their alarm keys, per device definition: built anew for every space every second, they were most of the tick. */
const ruleKeys = new WeakMap<Device, { rule: string; key: string }[]>();

function ruleKeysOf(dev: Device): { rule: string; key: string }[] {
  let keys = ruleKeys.get(dev);
  if (!keys) {
    keys = Object.keys(limitsFor(dev)).flatMap((q) => [`${q}_high`, `${q}_low`].map((rule) => ({ rule, key: `${dev.id}|${rule}` })));
    ruleKeys.set(dev, keys);
  }
  return keys;
}

/** A detector's active threshold alarms (shelved ones too: shelving hides, it does not make safe). */
function activeAlarms(dev: Device, alarms: Pick<OpenAlarms, 'openAlarm'>): DetectorContext['alarms'] {
  const out: DetectorContext['alarms'][number][] = [];
  for (const { rule, key } of ruleKeysOf(dev)) {
    const a = alarms.openAlarm(key);
    if (a && a.active !== false && a.state !== 'cleared_unack') out.push({ rule, severity: a.severity, message: a.message, value: a.value, threshold: a.threshold });
  }
  return out;
}


/**
 * How the park alarm centre groups alarms: by the enterprise their site belongs to (tank → tank
 * farm → enterprise), else by their own site (a boundary station, a gate, the wind mast). Pure.
 */
import type { AlarmRecord, Device, Site } from '../../../contracts';
import { compareAlarms } from '../../../state';

export interface AlarmGroup {
  /** The enterprise's id, or the alarm's own site id (or '' when it has none). */
  siteId: string;
  site: Site | undefined;
  isEnterprise: boolean;
  alarms: AlarmRecord[];
}

/** The enterprise above a site, walking up its parents (8 levels guard against a cycle). */
export function enterpriseOf(siteId: string | null | undefined, sites: ReadonlyMap<string, Site>): Site | undefined {
  let s = siteId ? sites.get(siteId) : undefined;
  for (let n = 0; s && n < 8; n++) {
    if (s.kind === 'enterprise') return s;
    s = s.parentId ? sites.get(s.parentId) : undefined;
  }
  return undefined;
}

/** Groups, the group with the worst alarm first (the order of compareAlarms), rows worst first. */
export function groupParkAlarms(alarms: Iterable<AlarmRecord>, sites: ReadonlyMap<string, Site>, devices: ReadonlyMap<string, Device>): AlarmGroup[] {
  const groups = new Map<string, AlarmGroup>();
  for (const a of alarms) {
    if (a.scene !== 'park') continue;
    const siteId = a.siteId ?? (a.deviceId ? devices.get(a.deviceId)?.siteId : undefined) ?? null;
    const ent = enterpriseOf(siteId, sites);
    const key = ent?.id ?? siteId ?? '';
    let g = groups.get(key);
    if (!g) {
      g = { siteId: key, site: ent ?? (siteId ? sites.get(siteId) : undefined), isEnterprise: ent !== undefined, alarms: [] };
      groups.set(key, g);
    }
    g.alarms.push(a);
  }
  const out = [...groups.values()];
  for (const g of out) g.alarms.sort(compareAlarms);
  return out.sort((x, y) => compareAlarms(x.alarms[0], y.alarms[0]));
}

/**
 * Pure derivations from the store for panels (no React): which alarms a view shows and in what
 * order, and their counts. How a device or a value is judged for display is src/view/health.ts.
 */
import type { AlarmRecord, Scene, Severity } from '../contracts';
import { SCENES, SEVERITIES } from '../contracts';
import { SEVERITY_RANK } from '../domain';
import type { View } from './store';

/** Open alarms shown in a view (all scenes in the overview), worst severity first, then newest. */
export function alarmsInView(alarms: ReadonlyMap<string, AlarmRecord>, view: View): AlarmRecord[] {
  const out: AlarmRecord[] = [];
  for (const a of alarms.values()) if (view === 'overview' || a.scene === view) out.push(a);
  return out.sort(compareAlarms);
}

/**
 * Worst severity first; within a severity the most recently raised first; shelved alarms (an
 * operator hid them) after all others; the id breaks ties so the order is stable.
 */
export function compareAlarms(a: AlarmRecord, b: AlarmRecord): number {
  const shelved = Number(a.state === 'shelved') - Number(b.state === 'shelved');
  return (
    shelved ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    b.raisedAt - a.raisedAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function severityCounts(alarms: readonly AlarmRecord[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const a of alarms) counts[a.severity]++;
  return counts;
}

/** Alarms per scene, for the counts on the scene tabs. */
export function alarmCountsByScene(alarms: ReadonlyMap<string, AlarmRecord>): Record<Scene, number> {
  const out = Object.fromEntries(SCENES.map((s) => [s, 0])) as Record<Scene, number>;
  for (const a of alarms.values()) out[a.scene]++;
  return out;
}

/** The quantity a `{quantity}_high` / `{quantity}_low` rule is about, or null for other rules. */
export function ruleQuantity(rule: string): { quantity: string; dir: 'high' | 'low' } | null {
  const m = /^(.+)_(high|low)$/.exec(rule);
  return m ? { quantity: m[1], dir: m[2] as 'high' | 'low' } : null;
}

/** Replay's jump list: the view's alarms (every scene's in the overview) at `minSeverity` or worse, newest first. */
export function jumpAlarms(alarms: readonly AlarmRecord[], view: View, minSeverity: Severity): AlarmRecord[] {
  return alarms
    .filter((a) => (view === 'overview' || a.scene === view) && SEVERITY_RANK[a.severity] <= SEVERITY_RANK[minSeverity])
    .sort((a, b) => b.raisedAt - a.raisedAt);
}

/** Display helpers shared by the panels: numbers, ages, names in the current language, rule titles. */
import type { TFunction } from 'i18next';
import { ROLE_SCENES, ROLES, isQuantity, type AlarmRecord, type Quantity, type Role, type Scene } from '../contracts';
import { STRICT_HIGH } from '../domain';
import { ruleQuantity, type Lang } from '../state';

/**
 * A reading for a control-room display: 5 decimals for coordinates, otherwise fewer decimals the
 * bigger the number (0.34 ppm Cl₂ needs two, 1,850 veh/h none). No grouping, so the text parses back.
 */
export function formatValue(quantity: string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (quantity === 'lon_deg' || quantity === 'lat_deg') return value.toFixed(5);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

/** "12 s ago" / "3 分钟前"; `deltaMs` is now minus then. */
export function formatAge(deltaMs: number, t: TFunction): string {
  const s = Math.max(0, Math.round(deltaMs / 1000));
  if (s < 5) return t('time.now');
  if (s < 60) return t('time.s', { n: s });
  if (s < 3600) return t('time.m', { n: Math.floor(s / 60) });
  if (s < 86400) return t('time.h', { n: Math.floor(s / 3600) });
  return t('time.d', { n: Math.floor(s / 86400) });
}

/** `14:05:09`: local time of day with seconds (entry times, gas tests, the replayed instant). */
export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Registry names come in both languages. */
export function nameOf(x: { name: string; nameZh?: string } | undefined, lang: Lang): string {
  if (!x) return '';
  return lang === 'zh' && x.nameZh ? x.nameZh : x.name;
}

const NAMED_RULES = new Set(['stale', 'evacuate', 'permit', 'geofence', 'fog', 'ice', 'incident', 'flood', 'attendant', 'o2_enrichment', 'overstay', 'badge_twice', 'stuck', 'congestion']);

/** A short title for an alarm's rule: "H₂S high", "立即撤离". */
export function ruleTitle(rule: string, t: TFunction): string {
  const rq = ruleQuantity(rule);
  if (rq && isQuantity(rq.quantity)) return t(`rule.${rq.dir}`, { q: t(`q.${rq.quantity}`) });
  if (NAMED_RULES.has(rule)) return t(`rule.${rule}`);
  if (rule.startsWith('video_')) return t('rule.video');
  // A rule of a newer service: no raw rule name in front of an operator.
  return t('rule.other');
}

/** The quantity an alarm's value is measured in, for its unit and number format. */
function alarmQuantity(rule: string): string | null {
  const rq = ruleQuantity(rule);
  if (rq && isQuantity(rq.quantity)) return rq.quantity;
  if (rule === 'fog') return 'visibility_m';
  if (rule === 'ice') return 'road_temp_c';
  return null;
}

/** "12.3 ppm ≥ 7 ppm" for a threshold alarm; null when the alarm carries no value. */
export function valueVsThreshold(a: Pick<AlarmRecord, 'rule' | 'value' | 'threshold'>, t: TFunction): string | null {
  if (a.value === null) return null;
  const q = alarmQuantity(a.rule);
  const unit = q ? ` ${t(`unit.${q}`)}` : '';
  const v = `${formatValue(q ?? '', a.value)}${unit}`;
  if (a.threshold === null) return v;
  const th = `${formatValue(q ?? '', a.threshold)}${unit}`;
  const rq = ruleQuantity(a.rule);
  // Same comparisons as the domain rules: high at ≥ (O₂ strictly >), low / fog / ice below.
  let op: string | null = null;
  if (rq?.dir === 'high') op = STRICT_HIGH.has(rq.quantity as Quantity) ? '>' : '≥';
  else if (rq?.dir === 'low' || a.rule === 'fog' || a.rule === 'ice') op = '<';
  return op ? `${v} ${op} ${th}` : t('alarms.valueVs', { value: v, threshold: th });
}

/** The operator role that owns a scene (admin owns all, so it is not "the" owner). */
export function ownerRole(scene: Scene): Role {
  return ROLES.find((r) => r !== 'admin' && ROLE_SCENES[r].includes(scene)) ?? 'admin';
}

/** The live reading of a threshold alarm's quantity beside the value it was raised with: "现值 19.6 ppm"; null when not worth showing. */
export function liveBeside(a: Pick<AlarmRecord, 'rule' | 'value' | 'state'>, live: number | undefined, t: TFunction): string | null {
  const q = alarmQuantity(a.rule);
  if (!q || live === undefined || a.value === null || !(a.state === 'active_unack' || a.state === 'active_ack')) return null;
  if (formatValue(q, live) === formatValue(q, a.value)) return null;
  return t('alarms.liveNow', { value: `${formatValue(q, live)} ${t(`unit.${q}`)}` });
}

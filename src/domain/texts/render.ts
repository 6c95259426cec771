/**
 * Alarm text in the reader's language: `renderDetail` words a record's `detail` from the sentence
 * tables (names for ids, labels for quantities, values with units, local times); `alarmText` falls
 * back to `messageZh` / `message` for a code this version does not know; `ruleTitle` is the short
 * title of a rule ("H₂S 超上限", "Evacuate now").
 */
import type { AlarmDetail, AlarmRecord, DetailCode, DetailParams } from '../../contracts';
import { CONFINED_SENTENCES } from './confined';
import { OTHER_SENTENCES } from './other';
import { quantityLabel, type Say, type TextLang } from './say';
import type { DetailLike, Sentence } from './sentence';

/** Every code of `DetailParams` has its sentence in both languages: a missing one does not compile. */
const SENTENCES: { [C in DetailCode]: Sentence<DetailParams[C]> } = { ...CONFINED_SENTENCES, ...OTHER_SENTENCES };

/** Whether this version has a sentence for `code`. */
export function knowsCode(code: string): code is DetailCode {
  return Object.prototype.hasOwnProperty.call(SENTENCES, code);
}

/** A detail in `say`'s language; null for a code this version does not know (or a malformed detail). */
export function renderDetail(d: DetailLike | null | undefined, say: Say): string | null {
  if (!d || !knowsCode(d.code)) return null;
  const nested = (x: DetailLike | null | undefined): string => renderDetail(x, say) ?? '';
  try {
    return (SENTENCES[d.code] as Sentence<unknown>)[say.lang](d.params, say, nested);
  } catch {
    return null; // parameters that do not fit the code: a sender off the contract, not a crash
  }
}

/** What an alarm says in `say`'s language: its detail, else `messageZh` (Chinese) or `message`. */
export function alarmText(a: Pick<AlarmRecord, 'detail' | 'message' | 'messageZh'>, say: Say): string {
  return renderDetail(a.detail, say) ?? (say.lang === 'zh' && a.messageZh ? a.messageZh : a.message);
}

const TITLES: Record<TextLang, Record<string, string>> = {
  zh: {
    stale: '传感器数据中断',
    evacuate: '立即撤离',
    permit: '作业票异常',
    attendant: '监护人缺位',
    o2_enrichment: '富氧',
    overstay: '作业超时',
    badge_twice: '工牌重复在场',
    geofence: '危化品车辆越界',
    fog: '团雾',
    ice: '路面结冰风险',
    incident: '道路事件',
    stuck: '检测器数据冻结',
    flood: '报警泛滥',
    video: '视频识别报警',
    high: '{q}超上限',
    low: '{q}低于下限',
  },
  en: {
    stale: 'Sensor silent (stale)',
    evacuate: 'Evacuate now',
    permit: 'Entry permit problem',
    attendant: 'Attendant off post',
    o2_enrichment: 'Oxygen enrichment',
    overstay: 'Overstay',
    badge_twice: 'Badge in two places',
    geofence: 'Hazmat truck geofence',
    fog: 'Fog',
    ice: 'Ice risk',
    incident: 'Road incident',
    stuck: 'Detector frozen',
    flood: 'Alarm flood',
    video: 'Video alarm',
    high: '{q} high',
    low: '{q} low',
  },
};

/** The quantity and direction of a threshold rule (`h2s_ppm_high`), else null. */
export function thresholdRule(rule: string): { quantity: string; dir: 'high' | 'low' } | null {
  const m = /^(.+)_(high|low)$/.exec(rule);
  return m ? { quantity: m[1], dir: m[2] as 'high' | 'low' } : null;
}

/** A short title for a rule: "H₂S超上限", "Evacuate now"; an unknown rule is its own name. */
export function ruleTitle(rule: string, lang: TextLang): string {
  const t = TITLES[lang];
  const th = thresholdRule(rule);
  if (th) return t[th.dir].replace('{q}', quantityLabel(th.quantity, lang));
  if (rule.startsWith('video_')) return t.video;
  return t[rule] ?? rule;
}

/** Every rule title this version knows, in both languages (for search: 撤离 finds evacuate alarms). */
export function ruleTitles(rule: string): string[] {
  return [ruleTitle(rule, 'zh'), ruleTitle(rule, 'en')];
}

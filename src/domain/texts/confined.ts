/**
 * Sentences of the confined-space rules: the entry chain's reasons (GB 30871-2022; 工贸企业有限空间
 * 作业安全规定: 先通风、再检测、后作业) and the evacuate, permit, attendant and person alarms.
 */
import type { GasLevel, ReasonCode } from '../../contracts';
import type { Say } from './say';
import type { SentenceTable } from './sentence';

/** A detector named by its height in its space (the alarm already says which space), else by name. */
const where = (s: Say, deviceId: string, level: GasLevel | null) =>
  level ? (s.lang === 'zh' ? `${s.level(level)}检测仪` : `${s.level(level)} detector`) : s.device(deviceId);

/** "H₂S 14.2 ppm ≥ 14 ppm" from a threshold rule and its numbers; "H₂S 超上限" without them. */
function ruleValue(s: Say, rule: string, value: number | null | undefined, threshold: number | null | undefined): string {
  const m = /^(.+)_(high|low)$/.exec(rule);
  if (!m) return rule;
  const [, q, dir] = m;
  if (value === null || value === undefined) return s.lang === 'zh' ? `${s.q(q)}${dir === 'high' ? '超上限' : '低于下限'}` : `${s.q(q)} ${dir}`;
  const op = dir === 'low' ? '<' : q === 'o2_pct' ? '>' : '≥';
  return threshold === null || threshold === undefined ? s.v(q, value) : `${s.q(q)} ${s.v(q, value)} ${op} ${s.v(q, threshold)}`;
}

const people = (s: Say, ids: readonly string[]) => s.list(ids.map((p) => s.person(p)));

type Codes = ReasonCode | 'evacuate_people' | 'permit_issues' | 'attendant_issues' | 'overstay' | 'badge_twice';

export const CONFINED_SENTENCES: SentenceTable<Codes> = {
  detector_alarm: {
    zh: (p, s) => `${where(s, p.deviceId, p.level)}：${ruleValue(s, p.rule, p.value, p.threshold)}（${s.sev(p.severity)}）`,
    en: (p, s) => `${where(s, p.deviceId, p.level)}: ${ruleValue(s, p.rule, p.value, p.threshold)} (${s.sev(p.severity)})`,
  },
  no_detector: { zh: () => '没有气体检测仪监测该空间', en: () => 'no gas detector monitors the space' },
  detector_offline: {
    zh: (p, s) => `${where(s, p.deviceId, p.level)}离线`,
    en: (p, s) => `${where(s, p.deviceId, p.level)} offline`,
  },
  detector_silent: {
    zh: (p, s) => `${where(s, p.deviceId, p.level)}超过 ${p.silentS} 秒无数据`,
    en: (p, s) => `${where(s, p.deviceId, p.level)} silent for more than ${p.silentS} s`,
  },
  no_permit: { zh: () => '没有有效的作业票', en: () => 'no open permit' },
  permit_suspended: {
    zh: (p, s, d) => {
      const why = p.because ? (p.because.code.startsWith('gas_test') || p.because.code === 'evacuate' ? d(p.because) : `撤离：${d(p.because)}`) : '';
      return `作业票 ${s.permit(p.permitId)} 已暂停${why ? `（${why}）` : ''}`;
    },
    en: (p, s, d) => {
      const why = p.because ? (p.because.code.startsWith('gas_test') || p.because.code === 'evacuate' ? d(p.because) : `evacuate: ${d(p.because)}`) : p.cause;
      return `permit ${s.permit(p.permitId)} suspended${why ? ` (${why})` : ''}`;
    },
  },
  attendant_inside: {
    zh: (p, s) => `监护人${s.person(p.personId)}进入了空间（应在出入口监护）`,
    en: (p, s) => `attendant ${s.person(p.personId)} is inside (must stay at the opening)`,
  },
  not_on_permit: {
    zh: (p, s) => `${s.person(p.personId)}不在作业票 ${s.permit(p.permitId)} 的作业人员名单上`,
    en: (p, s) => `${s.person(p.personId)} is not on permit ${s.permit(p.permitId)}`,
  },
  over_capacity: { zh: (p) => `内有 ${p.inside} 人，只允许 ${p.allowed} 人`, en: (p) => `${p.inside} inside, ${p.allowed} allowed` },
  ventilation_off: { zh: (p, s) => `通风自 ${s.time(p.since)} 停止`, en: (p, s) => `ventilation off since ${s.time(p.since)}` },
  permit_lapsed: {
    zh: (p, s) => `作业票 ${s.permit(p.permitId)} 已于 ${s.time(p.validUntil)} 失效`,
    en: (p, s) => `permit ${s.permit(p.permitId)} lapsed at ${s.time(p.validUntil)}`,
  },
  gas_test_missing: {
    zh: (p, s) => (p.permitId === null ? '未做气体检测' : `作业票 ${s.permit(p.permitId)} 开具前未做气体检测`),
    en: (p, s) => (p.permitId === null ? 'no gas test' : `permit ${s.permit(p.permitId)} opened without a gas test`),
  },
  gas_test_failed: {
    zh: (p, s) => {
      const f = p.failures.map((x) => (x.value === null ? `${s.level(x.level)}${s.q(x.quantity)}未检测` : `${s.level(x.level)}${s.q(x.quantity)} ${s.v(x.quantity, x.value)}（允许 ${x.allowed} ${s.u(x.quantity)}）`));
      return `${p.permitId === null ? '' : `作业票 ${s.permit(p.permitId)}：`}气体检测不合格：${f.join('；')}`;
    },
    en: (p, s) => {
      const f = p.failures.map((x) => (x.value === null ? `${s.level(x.level)} ${s.q(x.quantity)} not measured` : `${s.level(x.level)} ${s.q(x.quantity)} ${s.v(x.quantity, x.value)} (allowed ${x.allowed} ${s.u(x.quantity)})`));
      return `${p.permitId === null ? '' : `permit ${s.permit(p.permitId)}: `}gas test failed: ${f.join('; ')}`;
    },
  },
  gas_test_old_at_open: {
    zh: (p, s) => `作业票 ${s.permit(p.permitId)} 在气体检测 ${p.minutes} 分钟后才开具（检测有效 ${p.validMinutes} 分钟）`,
    en: (p, s) => `permit ${s.permit(p.permitId)} opened ${p.minutes} min after the gas test (valid ${p.validMinutes} min)`,
  },
  gas_test_old_at_entry: {
    zh: (p, s) => `作业票 ${s.permit(p.permitId)}：首次进入距气体检测已 ${p.minutes} 分钟（检测有效 ${p.validMinutes} 分钟）`,
    en: (p, s) => `permit ${s.permit(p.permitId)}: first entry ${p.minutes} min after the gas test (valid ${p.validMinutes} min)`,
  },
  entered_ventilation_off: {
    zh: (p, s) => `${s.person(p.personId)}在通风停止时进入`,
    en: (p, s) => `${s.person(p.personId)} entered with the ventilation off`,
  },
  entered_ventilation_unrecorded: {
    zh: (p, s) => `${s.person(p.personId)}进入时没有通风记录`,
    en: (p, s) => `${s.person(p.personId)} entered with no record of ventilation`,
  },
  purge_too_short: {
    zh: (p, s) => `${p.personId === null ? '' : `${s.person(p.personId)}进入所依据的`}气体检测在通风 ${p.ranMinutes} 分钟时进行（应先通风 ${p.purgeMinutes} 分钟）`,
    en: (p, s) => {
      const test = `gas test taken ${p.ranMinutes} min into the ventilation (purge ${p.purgeMinutes} min first)`;
      return p.personId === null ? test : `${s.person(p.personId)} entered on a ${test}`;
    },
  },
  retest_after_break: {
    zh: (p, s) => `${s.person(p.personId)}在空间空置 ${p.emptyMinutes} 分钟后再次进入，未重新检测（中断超过 ${p.limitMinutes} 分钟须重新检测）`,
    en: (p, s) => `${s.person(p.personId)} re-entered after ${p.emptyMinutes} min empty without a new gas test (needed after ${p.limitMinutes} min)`,
  },
  entered_after_expiry: {
    zh: (p, s) => `${s.person(p.personId)}在作业票 ${s.permit(p.permitId)} 于 ${s.time(p.validUntil)} 失效后进入`,
    en: (p, s) => `${s.person(p.personId)} entered after permit ${s.permit(p.permitId)} lapsed at ${s.time(p.validUntil)}`,
  },
  attendant_off_post: {
    zh: (p, s) => `监护人${s.person(p.personId)}离开出入口 ${p.awayS} 秒（限 ${p.limitS} 秒）`,
    en: (p, s) => `attendant ${s.person(p.personId)} off post for ${p.awayS} s (limit ${p.limitS} s)`,
  },
  o2_enriched: {
    zh: (p, s) => `${where(s, p.deviceId, p.level)}：氧气 ${s.v('o2_pct', p.o2Pct)} > ${s.v('o2_pct', p.limitPct)}（富氧）`,
    en: (p, s) => `${where(s, p.deviceId, p.level)}: O₂ ${s.v('o2_pct', p.o2Pct)} > ${s.v('o2_pct', p.limitPct)} (oxygen enrichment)`,
  },
  natural_ventilation: { zh: () => '自然通风', en: () => 'naturally ventilated' },
  ventilation_unrecorded: { zh: () => '没有通风记录', en: () => 'no ventilation record' },
  purging: { zh: (p) => `通风中：${p.ranMinutes} / ${p.purgeMinutes} 分钟`, en: (p) => `ventilating: ${p.ranMinutes} of ${p.purgeMinutes} min` },
  retest_required: {
    zh: (p) => `已空置 ${p.emptyMinutes} 分钟：须重新气体检测（超过 ${p.limitMinutes} 分钟）`,
    en: (p) => `empty for ${p.emptyMinutes} min: a new gas test is needed (after ${p.limitMinutes} min)`,
  },
  gas_test_expired: {
    zh: (p) => `气体检测已过 ${p.minutes} 分钟（有效 ${p.validMinutes} 分钟）`,
    en: (p) => `gas test ${p.minutes} min old (valid ${p.validMinutes} min)`,
  },
  attendant_unrecorded: {
    zh: (p, s) => `监护人${s.person(p.personId)}未在出入口报到`,
    en: (p, s) => `attendant ${s.person(p.personId)} not reported at the opening`,
  },
  attendant_on_post: {
    zh: (p, s) => `监护人${s.person(p.personId)}在出入口`,
    en: (p, s) => `attendant ${s.person(p.personId)} at the opening`,
  },
  nobody_inside: { zh: () => '无人在内', en: () => 'nobody inside' },
  evacuate: { zh: () => '撤离报警', en: () => 'evacuate alarm' },
  evacuate_people: {
    zh: (p, s, d) => {
      const allowed = p.allowed === null ? '' : `，允许 ${p.allowed} 人`;
      return `内有 ${p.inside} 人（${people(s, p.persons)}）${allowed}：${p.reasons.map(d).join('；')}`;
    },
    en: (p, s, d) => {
      const allowed = p.allowed === null ? '' : `, ${p.allowed} allowed`;
      return `${p.inside} inside (${people(s, p.persons)})${allowed}: ${p.reasons.map(d).join('; ')}`;
    },
  },
  permit_issues: { zh: (p, _s, d) => p.reasons.map(d).join('；'), en: (p, _s, d) => p.reasons.map(d).join('; ') },
  attendant_issues: { zh: (p, _s, d) => p.reasons.map(d).join('；'), en: (p, _s, d) => p.reasons.map(d).join('; ') },
  overstay: {
    zh: (p, s) => `${s.person(p.personId)}已在内 ${p.minutes} 分钟（限 ${p.limitMin} 分钟）`,
    en: (p, s) => `${s.person(p.personId)} inside for ${p.minutes} min (limit ${p.limitMin} min)`,
  },
  badge_twice: {
    zh: (p, s) => `${s.person(p.personId)}的工牌同时在${p.spaceIds.map((id) => s.site(id)).join('和')}内`,
    en: (p, s) => `${s.person(p.personId)}'s badge is inside ${p.spaceIds.map((id) => s.site(id)).join(' and ')} at once`,
  },
};

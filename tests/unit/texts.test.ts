import { describe, expect, it } from 'vitest';
import type { DetailCode, DetailParams, Reason } from '../../src/contracts';
import { alarmText, renderDetail, ruleTitle, sayIn, type Names } from '../../src/domain/texts';

/** A registry the size of one example: every id has a name in both languages. */
const NAMED: Record<string, { name: string; nameZh: string }> = {
  'kq-gas-low': { name: 'Pit 3 lower detector', nameZh: '3号池下部检测仪' },
  'cam-7': { name: 'Gate camera', nameZh: '大门摄像机' },
  'kq-pit-3': { name: 'Sludge pit 3', nameZh: '3号污泥池' },
  'kq-pit-4': { name: 'Sump 4', nameZh: '4号集水井' },
  'zj-g60-s06': { name: 'G60 Zhuji north', nameZh: 'G60诸暨北段' },
  'zj-zy-s03': { name: 'Zhanqian Road', nameZh: '站前路' },
  W0417: { name: 'Zhang Wei', nameZh: '张伟' },
  W0523: { name: 'Li Qiang', nameZh: '李强' },
  A0132: { name: 'Liu Min', nameZh: '刘敏' },
};
const names: Names = { device: (id) => NAMED[id], site: (id) => NAMED[id], person: (id) => NAMED[id] };
const zh = sayIn('zh', names, { timeZone: 'Asia/Shanghai' });
const en = sayIn('en', names, { timeZone: 'Asia/Shanghai' });

const AT = Date.UTC(2026, 11, 6, 6, 30); // 14:30 in Shaoxing
const h2s: Reason = {
  code: 'detector_alarm',
  params: { deviceId: 'kq-gas-low', level: 'lower', rule: 'h2s_ppm_high', severity: 'critical', message: 'h2s_ppm 14.17 ≥ 14', value: 14.17, threshold: 14 },
};

/**
 * One example of every code with what each language must say. The `satisfies` makes a new code
 * without an example a type error, so no sentence goes untested.
 */
const CASES = {
  threshold: { p: { quantity: 'h2s_ppm', dir: 'high', value: 14.17, threshold: 14, op: '≥' }, zh: ['硫化氢 14.2 ppm ≥ 14 ppm'], en: ['H₂S 14.2 ppm ≥ 14 ppm'] },
  stale: { p: { silentS: 15, intervalS: 5 }, zh: ['超过 15 秒未收到数据'], en: ['no telemetry for more than 15 s'] },
  evacuate_people: {
    p: { inside: 2, persons: ['W0417', 'W0523'], allowed: 2, reasons: [h2s] },
    zh: ['内有 2 人（张伟、李强）', '下部检测仪：硫化氢 14.2 ppm ≥ 14 ppm（严重）'],
    en: ['2 inside (Zhang Wei, Li Qiang)', 'lower detector: H₂S 14.2 ppm ≥ 14 ppm (critical)'],
  },
  permit_issues: {
    p: { reasons: [{ code: 'gas_test_failed', params: { permitId: 'PT-0412', failures: [{ level: 'lower', quantity: 'h2s_ppm', value: 9, allowed: '< 7' }] } }] },
    zh: ['作业票 PT-0412：气体检测不合格：下部硫化氢 9 ppm（允许 < 7 ppm）'],
    en: ['permit PT-0412: gas test failed: lower H₂S 9 ppm (allowed < 7 ppm)'],
  },
  attendant_issues: { p: { reasons: [{ code: 'attendant_off_post', params: { personId: 'A0132', awayS: 75, limitS: 60 } }] }, zh: ['监护人刘敏离开出入口 75 秒（限 60 秒）'], en: ['attendant Liu Min off post for 75 s (limit 60 s)'] },
  overstay: { p: { personId: 'W0417', minutes: 130, limitMin: 120 }, zh: ['张伟已在内 130 分钟（限 120 分钟）'], en: ['Zhang Wei inside for 130 min (limit 120 min)'] },
  badge_twice: { p: { personId: 'W0417', spaceIds: ['kq-pit-3', 'kq-pit-4'] }, zh: ['张伟的工牌同时在3号污泥池和4号集水井内'], en: ["Zhang Wei's badge is inside Sludge pit 3 and Sump 4 at once"] },
  off_route: { p: { distanceM: 88.9, limitM: 50 }, zh: ['偏离核准路线 88.9 m（允许 50 m）'], en: ['off the permitted route by 88.9 m (limit 50 m)'] },
  speeding: { p: { speedKmh: 42, limitKmh: 30 }, zh: ['园区内超速：42 km/h（限速 30 km/h）'], en: ['speeding in the park: 42 km/h (limit 30 km/h)'] },
  parked: { p: { minutes: 35, limitMin: 30 }, zh: ['停车 35 分钟（限 30 分钟）'], en: ['parked outside the hazmat lot for 35 min (limit 30 min)'] },
  incident: { p: { kind: 'crash', segmentId: 'zj-g60-s06', incidentId: 'sim-g60-crash' }, zh: ['交通事故：G60诸暨北段'], en: ['Crash on G60 Zhuji north'] },
  fog: {
    p: { visibilityM: 158, belowM: 200, limitKmh: 60, exit: false, segmentIds: ['zj-zy-s03', 'zj-g60-s06'] },
    zh: ['能见度 158 m（低于 200 m）：限速 60 km/h；影响路段：站前路、G60诸暨北段'],
    en: ['visibility 158 m (below 200 m): limit 60 km/h; segments: Zhanqian Road, G60 Zhuji north'],
  },
  ice: { p: { roadTempC: -1.5, precipMmh: 0.4, segmentIds: [] }, zh: ['路面 -1.5 °C，降水 0.4 mm/h：路面结冰'], en: ['road surface -1.5 °C with 0.4 mm/h precipitation: ice'] },
  stuck: { p: { speedKmh: 57, minutes: 12, limitMin: 10 }, zh: ['车速 57 km/h 已 12 分钟不变'], en: ['speed stuck at 57 km/h for 12 min'] },
  video: { p: { kind: 'smoke', cameraId: 'cam-7', confidence: 0.91, place: 'danger_zone' }, zh: ['视频识别：烟雾（危险区内），大门摄像机，置信度 0.91'], en: ['video: smoke in a danger zone (Gate camera, confidence 0.91)'] },
  escalated: { p: { afterS: 120 }, zh: ['超过 120 秒无人确认'], en: ['unacknowledged for 120 s: escalated'] },
  detector_alarm: { p: h2s.params, zh: ['下部检测仪：硫化氢 14.2 ppm ≥ 14 ppm（严重）'], en: ['lower detector: H₂S 14.2 ppm ≥ 14 ppm (critical)'] },
  no_detector: { p: {}, zh: ['没有气体检测仪'], en: ['no gas detector'] },
  detector_offline: { p: { deviceId: 'kq-gas-low', level: null }, zh: ['3号池下部检测仪离线'], en: ['Pit 3 lower detector offline'] },
  detector_silent: { p: { deviceId: 'kq-gas-low', level: 'middle', silentS: 20 }, zh: ['中部检测仪超过 20 秒无数据'], en: ['middle detector silent for more than 20 s'] },
  no_permit: { p: {}, zh: ['没有有效的作业票'], en: ['no open permit'] },
  permit_suspended: { p: { permitId: 'PT-0412', cause: 'evacuate: …', because: h2s }, zh: ['作业票 PT-0412 已暂停（撤离：下部检测仪：硫化氢'], en: ['permit PT-0412 suspended (evacuate: lower detector: H₂S'] },
  attendant_inside: { p: { personId: 'A0132' }, zh: ['监护人刘敏进入了空间'], en: ['attendant Liu Min is inside'] },
  not_on_permit: { p: { personId: 'W0523', permitId: 'PT-0412' }, zh: ['李强不在作业票 PT-0412 的作业人员名单上'], en: ['Li Qiang is not on permit PT-0412'] },
  over_capacity: { p: { inside: 3, allowed: 2 }, zh: ['内有 3 人，只允许 2 人'], en: ['3 inside, 2 allowed'] },
  ventilation_off: { p: { since: AT }, zh: ['通风自 12月6日 14:30 停止'], en: ['ventilation off since 6 Dec, 14:30'] },
  permit_lapsed: { p: { permitId: 'PT-0412', validUntil: AT }, zh: ['作业票 PT-0412 已于 12月6日 14:30 失效'], en: ['permit PT-0412 lapsed at 6 Dec, 14:30'] },
  gas_test_missing: { p: { permitId: null }, zh: ['未做气体检测'], en: ['no gas test'] },
  gas_test_failed: {
    p: { permitId: null, failures: [{ level: 'middle', quantity: 'o2_pct', value: null, allowed: '19.5–21' }] },
    zh: ['气体检测不合格：中部氧气未检测'],
    en: ['gas test failed: middle O₂ not measured'],
  },
  gas_test_old_at_open: { p: { permitId: 'PT-0412', minutes: 45, validMinutes: 30 }, zh: ['在气体检测 45 分钟后才开具'], en: ['opened 45 min after the gas test (valid 30 min)'] },
  gas_test_old_at_entry: { p: { permitId: 'PT-0412', minutes: 40, validMinutes: 30 }, zh: ['首次进入距气体检测已 40 分钟'], en: ['first entry 40 min after the gas test'] },
  entered_ventilation_off: { p: { personId: 'W0417', at: AT }, zh: ['张伟在通风停止时进入'], en: ['Zhang Wei entered with the ventilation off'] },
  entered_ventilation_unrecorded: { p: { personId: 'W0417', at: AT }, zh: ['张伟进入时没有通风记录'], en: ['Zhang Wei entered with no record of ventilation'] },
  purge_too_short: { p: { ranMinutes: 4, purgeMinutes: 10, personId: 'W0523' }, zh: ['李强进入所依据的气体检测在通风 4 分钟时进行'], en: ['Li Qiang entered on a gas test taken 4 min into the ventilation'] },
  retest_after_break: { p: { personId: 'W0417', emptyMinutes: 50, limitMinutes: 30 }, zh: ['张伟在空间空置 50 分钟后再次进入'], en: ['Zhang Wei re-entered after 50 min empty'] },
  entered_after_expiry: { p: { personId: 'W0417', permitId: 'PT-0412', validUntil: AT }, zh: ['张伟在作业票 PT-0412 于 12月6日 14:30 失效后进入'], en: ['Zhang Wei entered after permit PT-0412 lapsed at 6 Dec, 14:30'] },
  attendant_off_post: { p: { personId: 'A0132', awayS: 75, limitS: 60 }, zh: ['监护人刘敏离开出入口 75 秒'], en: ['attendant Liu Min off post for 75 s'] },
  o2_enriched: { p: { deviceId: 'kq-gas-low', level: 'upper', o2Pct: 23.4, limitPct: 21 }, zh: ['上部检测仪：氧气 23.4 % vol > 21 % vol（富氧）'], en: ['upper detector: O₂ 23.4 % vol > 21 % vol (oxygen enrichment)'] },
  natural_ventilation: { p: {}, zh: ['自然通风'], en: ['naturally ventilated'] },
  ventilation_unrecorded: { p: {}, zh: ['没有通风记录'], en: ['no ventilation record'] },
  purging: { p: { ranMinutes: 6, purgeMinutes: 10 }, zh: ['通风中：6 / 10 分钟'], en: ['ventilating: 6 of 10 min'] },
  retest_required: { p: { emptyMinutes: 50, limitMinutes: 30 }, zh: ['须重新气体检测'], en: ['a new gas test is needed'] },
  gas_test_expired: { p: { minutes: 40, validMinutes: 30 }, zh: ['气体检测已过 40 分钟'], en: ['gas test 40 min old'] },
  attendant_unrecorded: { p: { personId: 'A0132' }, zh: ['监护人刘敏未在出入口报到'], en: ['attendant Liu Min not reported'] },
  attendant_on_post: { p: { personId: 'A0132' }, zh: ['监护人刘敏在出入口'], en: ['attendant Liu Min at the opening'] },
  nobody_inside: { p: {}, zh: ['无人在内'], en: ['nobody inside'] },
  evacuate: { p: {}, zh: ['撤离报警'], en: ['evacuate alarm'] },
} satisfies { [C in DetailCode]: { p: DetailParams[C]; zh: string[]; en: string[] } };

/** Ids of the examples: none may reach the reader when the registry names it. */
const IDS = Object.keys(NAMED).concat(['sim-g60-crash']);
/** Latin words allowed in Chinese text: units, chemical formulae, road and permit numbers. */
const LATIN_OK = /^(ppm|km|h|m|mm|min|s|vol|LEL|O|H|S|C|G|CO|NH|Cl|PT)$/;

describe('alarm texts: every code in both languages', () => {
  for (const [code, c] of Object.entries(CASES)) {
    it(`${code}: Chinese with names, units and no English system words`, () => {
      const text = renderDetail({ code, params: c.p as never }, zh);
      expect(text).not.toBeNull();
      for (const part of c.zh) expect(text).toContain(part);
      for (const id of IDS) expect(text).not.toContain(id);
      const latin = (text ?? '').match(/[A-Za-z]+/g) ?? [];
      expect(latin.filter((w) => !LATIN_OK.test(w))).toEqual([]);
    });
    it(`${code}: English with names and no Chinese`, () => {
      const text = renderDetail({ code, params: c.p as never }, en);
      for (const part of c.en) expect(text).toContain(part);
      for (const id of IDS) expect(text).not.toContain(id);
      expect(text).not.toMatch(/[\u4e00-\u9fff]/);
    });
  }
});

describe('alarm texts: fallbacks', () => {
  const record = { message: 'ventilation stopped with 2 inside', messageZh: '有人在内时通风停止', detail: { code: 'ventilation_stopped', params: { spaceId: 'kq-pit-3' } } };

  it('a code this version does not know falls back to messageZh in Chinese and message in English', () => {
    expect(alarmText(record, zh)).toBe('有人在内时通风停止');
    expect(alarmText(record, en)).toBe('ventilation stopped with 2 inside');
    expect(alarmText({ ...record, messageZh: null }, zh)).toBe('ventilation stopped with 2 inside');
  });

  it('parameters that do not fit their code fall back instead of throwing', () => {
    const bad = { ...record, detail: { code: 'evacuate_people', params: { inside: 'two' } } };
    expect(alarmText(bad, zh)).toBe('有人在内时通风停止');
  });

  it('an id the registry does not know is written as the id', () => {
    const text = renderDetail({ code: 'overstay', params: { personId: 'W9999', minutes: 5, limitMin: 4 } }, zh);
    expect(text).toContain('W9999');
  });

  it('rule titles in both languages, threshold rules by their quantity', () => {
    expect(ruleTitle('h2s_ppm_high', 'zh')).toBe('硫化氢超上限');
    expect(ruleTitle('o2_pct_low', 'en')).toBe('O₂ low');
    expect(ruleTitle('video_fire', 'zh')).toBe('视频识别报警');
  });
});

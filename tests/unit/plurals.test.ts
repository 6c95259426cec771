import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { translations } from '../../src/i18n';
import { confinedStrings } from '../../src/ui/scenes/confined/strings';
import { parkStrings } from '../../src/ui/scenes/park/strings';
import { roadsStrings } from '../../src/ui/scenes/roads/strings';

const resources = translations({ confined: confinedStrings, park: parkStrings, roads: roadsStrings });

async function tIn(lng: 'en' | 'zh') {
  const i = i18next.createInstance();
  await i.init({ lng, resources, interpolation: { escapeValue: false } });
  return i.t.bind(i);
}

/** Every key of a nested strings object, dotted. */
function keys(o: object, at = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v, `${at}${k}.`) : [`${at}${k}`]));
}

describe('counts in the UI read right for one and for many', () => {
  it('says "1 person", "1 space", "1 segment" in English and keeps the measure word in Chinese', async () => {
    const en = await tIn('en');
    const zh = await tIn('zh');
    const cases: [string, Record<string, unknown>, string, string, string][] = [
      ['confinedUi.peopleInside', {}, '1 person inside', '3 people inside', '内有 3 人'],
      ['confinedUi.spaces', {}, '1 space', '3 spaces', '3 处'],
      ['parkUi.globe.people', {}, '1 person', '3 people', '3 人'],
      ['roadsUi.signs.on', {}, 'On 1 segment:', 'On 3 segments:', '适用 3 个路段：'],
      ['roadsUi.routeLength', { km: '2.5' }, '2.5 km via 1 segment', '2.5 km via 3 segments', '2.5 公里，经 3 个路段'],
      ['commonUi.measure.points', {}, '1 point', '3 points', '3 个点'],
      ['commonUi.history.count', {}, '1 alarm', '3 alarms', '3 条报警'],
      ['alarms.ackedMany', { refused: 0 }, '1 alarm acknowledged, 0 refused', '3 alarms acknowledged, 0 refused', '已确认 3 条报警，0 条未确认'],
      ['adminUi.import.rows', {}, '1 row', '3 rows', '3 行'],
      ['adminUi.import.apply', {}, 'Apply 1 row', 'Apply 3 rows', '应用 3 行'],
    ];
    for (const [key, extra, one, many, manyZh] of cases) {
      expect(en(key, { ...extra, count: 1 })).toBe(one);
      expect(en(key, { ...extra, count: 3 })).toBe(many);
      expect(zh(key, { ...extra, count: 3 })).toBe(manyZh);
    }
  });

  it('says how many errors on how many lines of an import, each counted in its own words', async () => {
    const say = async (lng: 'en' | 'zh', errors: number, lines: number) => {
      const t = await tIn(lng);
      return t('adminUi.import.hasErrors', { errors: t('adminUi.import.errorCount', { count: errors }), lines: t('adminUi.import.onLines', { count: lines }) });
    };
    expect(await say('en', 1, 1)).toBe('1 error on 1 line: fix the file and choose it again');
    expect(await say('en', 3, 2)).toBe('3 errors on 2 lines: fix the file and choose it again');
    expect(await say('zh', 3, 2)).toBe('2 行共 3 处错误：请修改文件后重新选择');
  });

  it('has both plural forms of every counted string in both languages', () => {
    for (const lang of ['en', 'zh'] as const) {
      const all = new Set(keys(resources[lang].translation));
      const counted = [...all].filter((k) => /_(one|other)$/.test(k));
      expect(counted.length).toBeGreaterThan(10);
      for (const k of counted) {
        const stem = k.replace(/_(one|other)$/, '');
        expect(all.has(`${stem}_one`) && all.has(`${stem}_other`), `${lang} ${stem}`).toBe(true);
        expect(all.has(stem), `${lang} ${stem} has a plain form too`).toBe(false);
      }
    }
  });
});

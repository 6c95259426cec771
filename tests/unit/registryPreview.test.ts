import { describe, expect, it } from 'vitest';
import { parseCsv, previewCsv, previewGeoJson } from '../../src/ui/admin/registry/preview';

describe('import preview', () => {
  it.each([
    { what: 'plain rows', text: 'a,b\n1,2\n3,4\n', want: [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['1', '2'] }, { line: 3, fields: ['3', '4'] }] },
    { what: 'CRLF and a BOM', text: '\ufeffa,b\r\n1,2\r\n', want: [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['1', '2'] }] },
    { what: 'quotes, commas and doubled quotes inside them', text: 'a,b\n"x, ""y""",2\n', want: [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['x, "y"', '2'] }] },
    { what: 'a line break inside quotes: the next record keeps its own line number', text: 'a,b\n"two\nlines",2\n5,6', want: [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['two\nlines', '2'] }, { line: 4, fields: ['5', '6'] }] },
    { what: 'blank lines are skipped, not renumbered', text: 'a\n\n1\n', want: [{ line: 1, fields: ['a'] }, { line: 3, fields: ['1'] }] },
    { what: 'Chinese names', text: 'id,nameZh\nd1,硫化氢探测器\n', want: [{ line: 1, fields: ['id', 'nameZh'] }, { line: 2, fields: ['d1', '硫化氢探测器'] }] },
  ])('reads CSV: $what', ({ text, want }) => {
    expect(parseCsv(text)).toEqual(want);
  });

  it('names CSV cells by the header', () => {
    const p = previewCsv('id,scene,quantities\nd1,confined,o2_pct|h2s_ppm\nd2,park\n');
    expect(p.columns).toEqual(['id', 'scene', 'quantities']);
    expect(p.rows).toEqual([
      { line: 2, cells: { id: 'd1', scene: 'confined', quantities: 'o2_pct|h2s_ppm' } },
      { line: 3, cells: { id: 'd2', scene: 'park', quantities: '' } },
    ]);
  });

  it('reads GeoJSON features, numbered from 1, and says what is wrong with a file that is not one', () => {
    const p = previewGeoJson(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'd1', scene: 'park' }, geometry: { type: 'Point', coordinates: [120.8, 30.2, 0] } }] }));
    expect(p.rows).toEqual([{ line: 1, cells: { id: 'd1', scene: 'park', kind: '', siteId: '', name: '', nameZh: '', geometry: '120.8, 30.2' } }]);
    expect(previewGeoJson('{').problem).toBeTruthy();
    expect(previewGeoJson('{"type":"Feature"}').problem).toBe('not a FeatureCollection');
  });
});

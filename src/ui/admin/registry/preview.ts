/**
 * Reading an import file in the page, only to show its rows before anything is sent for real: CSV
 * (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes, a UTF-8 BOM) with each
 * record's line number as the service counts them (the header is line 1), or GeoJSON features
 * numbered from 1. The service's dry run is what judges the rows.
 */

export interface PreviewRow {
  /** The CSV line the record starts on, or the GeoJSON feature's number. */
  line: number;
  cells: Record<string, string>;
}

export interface Preview {
  columns: string[];
  rows: PreviewRow[];
  /** The file could not be read at all (not JSON, no header…): said instead of rows. */
  problem: string | null;
}

/** The CSV records of `text`, each with the line it starts on. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  const endRecord = () => {
    fields.push(field);
    if (any || fields.length > 1 || field !== '') out.push({ line: start, fields });
    fields = [];
    field = '';
    any = false;
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
      any = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      any = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else field += c;
  }
  if (field !== '' || fields.length > 0 || any) endRecord();
  return out;
}

export function previewCsv(text: string): Preview {
  const records = parseCsv(text);
  if (records.length === 0) return { columns: [], rows: [], problem: 'empty' };
  const columns = records[0].fields.map((c) => c.trim());
  const rows = records.slice(1).map((r) => ({ line: r.line, cells: Object.fromEntries(columns.map((c, i) => [c, r.fields[i] ?? ''])) }));
  return { columns, rows, problem: null };
}

const GEO_COLUMNS = ['id', 'scene', 'kind', 'siteId', 'name', 'nameZh', 'geometry'];

export function previewGeoJson(text: string): Preview {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { columns: [], rows: [], problem: (e as Error).message };
  }
  const features = (json as { features?: unknown })?.features;
  if (!Array.isArray(features)) return { columns: [], rows: [], problem: 'not a FeatureCollection' };
  const rows = features.map((f: { properties?: Record<string, unknown>; geometry?: { type?: string; coordinates?: unknown } | null }, i) => {
    const p = f?.properties ?? {};
    const cells: Record<string, string> = {};
    for (const c of GEO_COLUMNS.slice(0, -1)) cells[c] = p[c] === undefined || p[c] === null ? '' : String(p[c]);
    const g = f?.geometry;
    cells.geometry = g?.type === 'Point' && Array.isArray(g.coordinates) ? `${g.coordinates.slice(0, 2).join(', ')}` : (g?.type ?? '');
    return { line: i + 1, cells };
  });
  return { columns: GEO_COLUMNS, rows, problem: null };
}

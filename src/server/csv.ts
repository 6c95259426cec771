/**
 * A small RFC 4180 CSV reader and writer: fields separated by commas, records by CRLF or LF; a field
 * in double quotes may hold commas, line breaks and doubled quotes. Each record says the line it
 * starts on, so an import's errors point at the line a spreadsheet shows.
 */

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

/** Parses `text` (a leading BOM is dropped); throws with the line on an unterminated quote or a stray one. */
export function parseCsv(text: string): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (s[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new CsvError(start, 'a quoted field is not closed');
          const c = s[i];
          if (c === '"') {
            if (s[i + 1] === '"') (field += '"'), (i += 2);
            else {
              i++;
              break;
            }
          } else {
            if (c === '\n') line++;
            field += c;
            i++;
          }
        }
        if (i < n && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') throw new CsvError(line, 'text after a closing quote');
      } else {
        const from = i;
        while (i < n && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') {
          if (s[i] === '"') throw new CsvError(line, 'a quote inside an unquoted field');
          i++;
        }
        field = s.slice(from, i);
      }
      fields.push(field);
      if (i < n && s[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (s[i] === '\r') i++;
    if (s[i] === '\n') i++;
    line++;
    // A blank line (a trailing newline, a spreadsheet's empty row) is no record.
    if (!(fields.length === 1 && fields[0] === '')) out.push({ line: start, fields });
  }
  return out;
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
export function csvCell(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * How a sentence names things and writes numbers in one language: ids become registry names
 * (device, site, segment, person, permit), quantities their labels (H₂S, 硫化氢), values carry their
 * unit, times are local and on a 24-hour clock. The service (for `messageZh`, CSV and search) and the
 * app (in the user's language) build a `Say` over what they know of the registry.
 */
import { QUANTITIES, isQuantity, type GasLevel, type Severity } from '../../contracts';

export type TextLang = 'zh' | 'en';

/** Something with a name in both languages: a site, a device, a person of the roster. */
export interface Named {
  name: string;
  nameZh?: string;
}

/** What the caller knows of ids. Whatever it cannot name is written as the id itself. */
export interface Names {
  device?(id: string): Named | undefined;
  site?(id: string): Named | undefined;
  person?(id: string): Named | undefined;
}

export interface SayOptions {
  /** IANA zone of the times written; default the runtime's own (the browser's, the operator's). */
  timeZone?: string;
}

/** The phrase-makers one sentence uses. */
export interface Say {
  lang: TextLang;
  device(id: string): string;
  site(id: string): string;
  /** A segment is a site of kind `segment`. */
  segment(id: string): string;
  person(id: string): string;
  /** A permit is known by its number, as printed on the paper permit. */
  permit(id: string | null): string;
  /** The quantity's label: H₂S / 硫化氢. */
  q(quantity: string): string;
  /** A value with its unit: "14.2 ppm". */
  v(quantity: string, value: number | null | undefined): string;
  /** The unit of a quantity: "ppm" ("" when it has none). */
  u(quantity: string): string;
  /** A number with a unit of its own: "89 m". */
  n(value: number, unit: string): string;
  /** A local date and 24-hour time: "12月6日 14:05" / "6 Dec 14:05". */
  time(ms: number): string;
  /** Items joined as the language does: 甲、乙 / a, b. */
  list(items: readonly string[]): string;
  sev(s: Severity): string;
  /** A detector's height: 下部 / lower. */
  level(l: GasLevel | null | undefined): string;
}

const SEV: Record<TextLang, Record<Severity, string>> = {
  zh: { critical: '严重', major: '较大', minor: '一般', warning: '提示' },
  en: { critical: 'critical', major: 'major', minor: 'minor', warning: 'warning' },
};
const LEVEL: Record<TextLang, Record<GasLevel, string>> = {
  zh: { upper: '上部', middle: '中部', lower: '下部' },
  en: { upper: 'upper', middle: 'middle', lower: 'lower' },
};

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

/** The label of a quantity in a language (the contract's table), or the name itself when unknown. */
export function quantityLabel(quantity: string, lang: TextLang): string {
  return isQuantity(quantity) ? QUANTITIES[quantity][lang] : quantity;
}

/** The unit of a quantity ('' when unknown). */
export function quantityUnit(quantity: string): string {
  return isQuantity(quantity) ? QUANTITIES[quantity].unit : '';
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** "12月6日 14:05" / "6 Dec 14:05", in `timeZone` (default the runtime's). */
export function formatTime(ms: number, lang: TextLang, timeZone?: string): string {
  const key = `${lang}|${timeZone ?? ''}`;
  let f = timeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone, month: lang === 'zh' ? 'long' : 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormats.set(key, f);
  }
  return f.format(ms);
}

/** Items the way each language lists them; long lists end in "… and N more". */
export function listOf(items: readonly string[], lang: TextLang, max = 6): string {
  const shown = items.slice(0, max);
  const more = items.length - shown.length;
  if (lang === 'zh') return shown.join('、') + (more > 0 ? `等 ${items.length} 项` : '');
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

/** The phrase-makers of `lang` over `names`. */
export function sayIn(lang: TextLang, names: Names = {}, opts: SayOptions = {}): Say {
  const named = (n: Named | undefined, id: string) => (n ? (lang === 'zh' && n.nameZh ? n.nameZh : n.name) : id);
  return {
    lang,
    device: (id) => named(names.device?.(id), id),
    site: (id) => named(names.site?.(id), id),
    segment: (id) => named(names.site?.(id), id),
    person: (id) => named(names.person?.(id), id),
    permit: (id) => id ?? '',
    q: (quantity) => quantityLabel(quantity, lang),
    v: (quantity, value) => {
      const unit = quantityUnit(quantity);
      return `${formatValue(quantity, value)}${unit ? ` ${unit}` : ''}`;
    },
    u: (quantity) => quantityUnit(quantity),
    n: (value, unit) => `${formatValue('', value)} ${unit}`,
    time: (ms) => formatTime(ms, lang, opts.timeZone),
    list: (items) => listOf(items, lang),
    sev: (s) => SEV[lang][s] ?? s,
    level: (l) => (l ? LEVEL[lang][l] : ''),
  };
}

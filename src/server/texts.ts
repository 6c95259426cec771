/**
 * The service's wording of alarm details: Chinese (`messageZh`), CSV exports and history search name
 * devices, sites and segments from the live registry. Times are written in the city's own zone
 * (Shaoxing, Asia/Shanghai), whatever zone the machine running the service is set to.
 */
import { QUANTITIES } from '../contracts';
import { ruleTitles, sayIn, type Say, type TextLang } from '../domain/texts';
import type { RegistryIndex } from './registry';

export const CITY_TIME_ZONE = 'Asia/Shanghai';

/** Phrase-makers of `lang` that look names up in `registry` at each call (so registry changes apply at once). */
export function registrySay(registry: RegistryIndex, lang: TextLang): Say {
  return sayIn(lang, { device: (id) => registry.deviceEver(id), site: (id) => registry.siteEver(id), person: (id) => registry.persons.get(id) }, { timeZone: CITY_TIME_ZONE });
}

/** At most this many ids a search term may stand for (a term like 印染 names half the registry). */
const MAX_SEARCH_TERMS = 60;

/**
 * What a history search term also stands for, in either language: the ids of devices, sites and
 * people whose name holds it, the quantities whose label does (硫化氢 → h2s_ppm, 氯气 → cl2_ppm) and
 * the rules whose title does (撤离 → evacuate). Case-insensitive.
 */
export function searchTerms(registry: RegistryIndex, text: string): string[] {
  const needle = text.toLowerCase();
  const hit = (...names: (string | undefined)[]) => names.some((n) => n?.toLowerCase().includes(needle));
  const out = new Set<string>();
  for (const [q, d] of Object.entries(QUANTITIES)) if (hit(d.zh, d.en)) out.add(q);
  for (const rule of NAMED_RULES) if (hit(...ruleTitles(rule))) out.add(rule);
  for (const m of [registry.devices, registry.sites, registry.persons] as ReadonlyMap<string, { name: string; nameZh?: string }>[]) {
    for (const [id, x] of m) if (out.size < MAX_SEARCH_TERMS && hit(x.name, x.nameZh)) out.add(id);
  }
  out.delete(text);
  return [...out];
}

/** Rules with a title of their own (threshold rules are found through their quantity). */
const NAMED_RULES = ['stale', 'evacuate', 'permit', 'attendant', 'o2_enrichment', 'geofence', 'fog', 'ice', 'incident', 'stuck', 'overstay', 'badge_twice'];

const localFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: CITY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** "2026-12-06 14:30:05": the city's local time, as a spreadsheet reads a date. */
export function localTime(ms: number | null | undefined): string | null {
  return ms == null ? null : localFormat.format(ms);
}

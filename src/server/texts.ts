/**
 * The service's wording of alarm details: Chinese (`messageZh`), CSV exports and history search name
 * devices, sites and segments from the live registry. Times are written in the city's own zone
 * (Shaoxing, Asia/Shanghai), whatever zone the machine running the service is set to.
 */
import { sayIn, type Say, type TextLang } from '../domain/texts';
import type { RegistryIndex } from './registry';

export const CITY_TIME_ZONE = 'Asia/Shanghai';

/** Phrase-makers of `lang` that look names up in `registry` at each call (so registry changes apply at once). */
export function registrySay(registry: RegistryIndex, lang: TextLang): Say {
  return sayIn(lang, { device: (id) => registry.devices.get(id), site: (id) => registry.sites.get(id), person: (id) => registry.persons.get(id) }, { timeZone: CITY_TIME_ZONE });
}

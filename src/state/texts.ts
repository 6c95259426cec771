/**
 * The app's wording of alarm details and reasons: the shared texts layer over the store's registry
 * (device, site and person names) in the reader's language and the browser's own time zone.
 */
import { sayIn, type Say } from '../domain/texts';
import type { TwinState } from './store';

const cache = new WeakMap<object, Map<string, Say>>();

/** The phrase-makers for the store's language and registry; the same object while neither changes. */
export function sayOf(s: Pick<TwinState, 'lang' | 'devices' | 'sites' | 'persons'>): Say {
  let byLang = cache.get(s.devices);
  if (!byLang) cache.set(s.devices, (byLang = new Map()));
  // Sites and persons are loaded with the devices, so the device map's identity keys all three.
  const hit = byLang.get(s.lang);
  if (hit) return hit;
  const { devices, sites, persons } = s;
  const say = sayIn(s.lang, { device: (id) => devices.get(id), site: (id) => sites.get(id), person: (id) => persons.get(id) });
  byLang.set(s.lang, say);
  return say;
}

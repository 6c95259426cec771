/**
 * Seeded, stateless randomness for the simulator. Every value is a pure function of
 * (seed, key, time), so a stream is the same whatever order or rate the engine samples it at.
 */

/** A 32-bit hash of a string (FNV-1a), to turn device ids and quantity names into keys. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's finaliser: spreads every input bit over the output. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a key and a (possibly > 2³²) integer such as a time in ms. */
export function hashMix(key: number, n: number): number {
  const lo = n >>> 0;
  const hi = Math.floor(n / 4294967296) >>> 0;
  return fmix(fmix(fmix(key ^ 0x9e3779b9) ^ lo) ^ Math.imul(hi, 0x27d4eb2d));
}

/** Uniform in [0, 1) for (key, n). */
export function unit(key: number, n: number): number {
  return hashMix(key, n) / 4294967296;
}

/** Uniform in [-1, 1) for (key, n): white noise sampled at integer `n`. */
export function signed(key: number, n: number): number {
  return unit(key, n) * 2 - 1;
}

/**
 * Smooth value noise in [-1, 1]: random values at multiples of `periodS`, joined by a cosine
 * ease, so it wanders over about one period without jumps. `tMs` is simulated time.
 */
export function smooth(key: number, tMs: number, periodS: number): number {
  const x = tMs / (periodS * 1000);
  const i = Math.floor(x);
  const f = x - i;
  const w = (1 - Math.cos(Math.PI * f)) / 2;
  return signed(key, i) * (1 - w) + signed(key, i + 1) * w;
}

/** The key of one device's quantity under a seed: feeds `signed` and `smooth`. */
export function streamKey(seed: number, deviceId: string, name: string): number {
  return hashMix(hashString(`${deviceId}/${name}`), seed >>> 0);
}

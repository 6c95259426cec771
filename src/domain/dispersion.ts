/**
 * Gaussian plume from a continuous ground-level point source, open country: the Pasquill–Gifford
 * dispersion coefficients as the analytic fits of EPA's ISC3 model (User's Guide for the Industrial
 * Source Complex Dispersion Models, vol. II, EPA-454/B-95-003b, 1995, Tables 1-1 and 1-2), which
 * reproduce the curves of Turner's Workbook of Atmospheric Dispersion Estimates (1970).
 *
 * Ground-level centreline concentration, full reflection at the ground (Turner 1970, eq. 5.3 with
 * H = 0): C(x) = Q / (π σy σz u). A planning screen, not a consequence model: no dense-gas slumping,
 * no buildings, steady wind; ALOHA or a dense-gas model with the real source term replaces it.
 */
import type { StabilityClass } from '../contracts';

const DEG = 0.017453293;

/** σy (Table 1-1): σy = 465.11628 · x · tan(0.017453293 · (c − d ln x)), x in km, σy in m. */
const SIGMA_Y: Record<StabilityClass, [c: number, d: number]> = {
  A: [24.167, 2.5334],
  B: [18.333, 1.8096],
  C: [12.5, 1.0857],
  D: [8.333, 0.72382],
  E: [6.25, 0.54287],
  F: [4.1667, 0.36191],
};

/** σz (Table 1-2): σz = a · x^b, x in km, by distance band (upper bound of x, km). */
const SIGMA_Z: Record<StabilityClass, readonly [upToKm: number, a: number, b: number][]> = {
  A: [[0.1, 122.8, 0.9447], [0.15, 158.08, 1.0542], [0.2, 170.22, 1.0932], [0.25, 179.52, 1.1262], [0.3, 217.41, 1.2644], [0.4, 258.89, 1.4094], [0.5, 346.75, 1.7283], [Infinity, 453.85, 2.1166]],
  B: [[0.2, 90.673, 0.93198], [0.4, 98.483, 0.98332], [Infinity, 109.3, 1.0971]],
  C: [[Infinity, 61.141, 0.91465]],
  D: [[0.3, 34.459, 0.86974], [1, 32.093, 0.81066], [3, 32.093, 0.64403], [10, 33.504, 0.60486], [30, 36.65, 0.56589], [Infinity, 44.053, 0.51179]],
  E: [[0.1, 24.26, 0.8366], [0.3, 23.331, 0.81956], [1, 21.628, 0.7566], [2, 21.628, 0.63077], [4, 22.534, 0.57154], [10, 24.703, 0.50527], [20, 26.97, 0.46713], [40, 35.42, 0.37615], [Infinity, 47.618, 0.29592]],
  F: [[0.2, 15.209, 0.81558], [0.7, 14.457, 0.78407], [1, 13.953, 0.68465], [2, 13.953, 0.63227], [3, 14.823, 0.54503], [7, 16.187, 0.4649], [15, 17.836, 0.41507], [30, 22.651, 0.32681], [60, 27.074, 0.27436], [Infinity, 34.219, 0.21716]],
};

/** ISC3 caps σz at 5,000 m (the very unstable classes outgrow any mixing layer). */
const SIGMA_Z_MAX_M = 5000;

/** σy and σz, m, at `xM` metres downwind. */
export function sigmas(stability: StabilityClass, xM: number): { sigmaYM: number; sigmaZM: number } {
  const x = Math.max(xM, 1) / 1000;
  const [c, d] = SIGMA_Y[stability];
  const sigmaYM = 465.11628 * x * Math.tan(DEG * (c - d * Math.log(x)));
  const [, a, b] = SIGMA_Z[stability].find(([upTo]) => x <= upTo)!;
  return { sigmaYM, sigmaZM: Math.min(SIGMA_Z_MAX_M, a * x ** b) };
}

/** Ground-level centreline concentration, g/m³, at `xM` downwind of a release of `releaseGs` g/s in wind `windMs`. */
export function centrelineGm3(stability: StabilityClass, xM: number, releaseGs: number, windMs: number): number {
  const { sigmaYM, sigmaZM } = sigmas(stability, xM);
  return releaseGs / (Math.PI * sigmaYM * sigmaZM * windMs);
}

/** ppm (by volume) → mg/m³ at 25 °C and 1 atm: × M / 24.45. */
export function ppmToMgM3(ppm: number, molarMassGmol: number): number {
  return (ppm * molarMassGmol) / 24.45;
}

/**
 * Distance downwind, m, at which the centreline concentration falls to `endpointGm3` (bisection on
 * the log of the distance: the concentration falls monotonically downwind of a ground source).
 * 0 when even 1 m downwind is below it; `maxM` (with `capped`) when it is still above at `maxM`.
 */
export function distanceToEndpointM(
  stability: StabilityClass,
  releaseGs: number,
  windMs: number,
  endpointGm3: number,
  maxM: number,
): { lengthM: number; capped: boolean } {
  const c = (x: number) => centrelineGm3(stability, x, releaseGs, windMs);
  if (!(releaseGs > 0) || !(endpointGm3 > 0) || c(1) <= endpointGm3) return { lengthM: 0, capped: false };
  if (c(maxM) > endpointGm3) return { lengthM: maxM, capped: true };
  let lo = Math.log(1);
  let hi = Math.log(maxM);
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (c(Math.exp(mid)) > endpointGm3) lo = mid;
    else hi = mid;
  }
  return { lengthM: Math.exp((lo + hi) / 2), capped: false };
}

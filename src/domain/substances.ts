/**
 * Leak endpoints per substance: the concentration a danger zone reaches out to. Toxic gases use
 * AEGL-2 for 60 min (US EPA / National Advisory Committee, final values: above it, irreversible or
 * serious effects or an impaired ability to escape), the usual planning endpoint of emergency
 * response and of ALOHA; a flammable gas without a toxic endpoint uses its lower flammability limit
 * (EPA RMP, 40 CFR 68.22(a)(2)(iii)). Molar masses for ppm ↔ mg/m³.
 */
import type { Quantity } from '../contracts';

export interface Substance {
  id: string;
  en: string;
  zh: string;
  molarMassGmol: number;
  /** Endpoint concentration, ppm. */
  endpointPpm: number;
  endpointKind: 'AEGL-2 60 min' | 'LFL';
}

/** The demo park's gases and stored liquids, and the common toxic gases of Chinese chemical parks. */
export const SUBSTANCES: Readonly<Record<string, Substance>> = {
  chlorine: { id: 'chlorine', en: 'Chlorine', zh: '氯气', molarMassGmol: 70.9, endpointPpm: 2, endpointKind: 'AEGL-2 60 min' },
  ammonia: { id: 'ammonia', en: 'Ammonia', zh: '氨', molarMassGmol: 17.03, endpointPpm: 160, endpointKind: 'AEGL-2 60 min' },
  hydrogen_sulfide: { id: 'hydrogen_sulfide', en: 'Hydrogen sulfide', zh: '硫化氢', molarMassGmol: 34.08, endpointPpm: 27, endpointKind: 'AEGL-2 60 min' },
  hydrogen_chloride: { id: 'hydrogen_chloride', en: 'Hydrogen chloride', zh: '氯化氢', molarMassGmol: 36.46, endpointPpm: 22, endpointKind: 'AEGL-2 60 min' },
  hydrogen_fluoride: { id: 'hydrogen_fluoride', en: 'Hydrogen fluoride', zh: '氟化氢', molarMassGmol: 20.01, endpointPpm: 24, endpointKind: 'AEGL-2 60 min' },
  sulfur_dioxide: { id: 'sulfur_dioxide', en: 'Sulfur dioxide', zh: '二氧化硫', molarMassGmol: 64.07, endpointPpm: 0.75, endpointKind: 'AEGL-2 60 min' },
  benzene: { id: 'benzene', en: 'Benzene', zh: '苯', molarMassGmol: 78.11, endpointPpm: 800, endpointKind: 'AEGL-2 60 min' },
  toluene: { id: 'toluene', en: 'Toluene', zh: '甲苯', molarMassGmol: 92.14, endpointPpm: 560, endpointKind: 'AEGL-2 60 min' },
  methanol: { id: 'methanol', en: 'Methanol', zh: '甲醇', molarMassGmol: 32.04, endpointPpm: 2100, endpointKind: 'AEGL-2 60 min' },
  acetone: { id: 'acetone', en: 'Acetone', zh: '丙酮', molarMassGmol: 58.08, endpointPpm: 3200, endpointKind: 'AEGL-2 60 min' },
  dichloromethane: { id: 'dichloromethane', en: 'Dichloromethane', zh: '二氯甲烷', molarMassGmol: 84.93, endpointPpm: 560, endpointKind: 'AEGL-2 60 min' },
  // Propylene has no toxic endpoint (an asphyxiant only far above its LFL of 2.0 % vol).
  propylene: { id: 'propylene', en: 'Propylene', zh: '丙烯', molarMassGmol: 42.08, endpointPpm: 20000, endpointKind: 'LFL' },
};

/** The gas a station's quantity measures, when the quantity names one. */
const GAS_OF_QUANTITY: Partial<Record<Quantity, string>> = {
  cl2_ppm: 'chlorine',
  nh3_ppm: 'ammonia',
  h2s_ppm: 'hydrogen_sulfide',
};

/**
 * The endpoint in g/m³ (25 °C, 1 atm): the lower it is, the further a given release stays above it.
 */
export function endpointGm3(s: Substance): number {
  return (s.endpointPpm * s.molarMassGmol) / 24.45 / 1000;
}

/**
 * The substance a zone is drawn for. A gas-specific channel (Cl₂, NH₃, H₂S) names it; a VOC or
 * combustible reading does not, so the zone is drawn for the worst of `candidates` — the
 * substances stored where the detector is (its tank farm), else the park's — the one with the
 * lowest endpoint by mass, which gives the longest zone for the same release. Null when none is known.
 */
export function zoneSubstance(quantity: Quantity, candidates: readonly (string | undefined)[] = []): Substance | null {
  const named = GAS_OF_QUANTITY[quantity];
  if (named) return SUBSTANCES[named];
  let worst: Substance | null = null;
  for (const id of candidates) {
    const s = id ? SUBSTANCES[id] : undefined;
    if (s && (!worst || endpointGm3(s) < endpointGm3(worst))) worst = s;
  }
  return worst;
}

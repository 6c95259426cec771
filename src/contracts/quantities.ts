/**
 * Quantities of the wire contract. The unit is part of the name (docs/contract.md "MQTT topics").
 * `cl2_ppm` and `precip_mmh` are additions within v1 (new names, no changed meaning).
 */
export const QUANTITIES = {
  o2_pct: { unit: '% vol', en: 'O₂', zh: '氧气' },
  h2s_ppm: { unit: 'ppm', en: 'H₂S', zh: '硫化氢' },
  co_ppm: { unit: 'ppm', en: 'CO', zh: '一氧化碳' },
  nh3_ppm: { unit: 'ppm', en: 'NH₃', zh: '氨气' },
  cl2_ppm: { unit: 'ppm', en: 'Cl₂', zh: '氯气' },
  lel_pct: { unit: '% LEL', en: 'Combustible', zh: '可燃气' },
  voc_ppm: { unit: 'ppm', en: 'VOC', zh: '挥发性有机物' },
  level_pct: { unit: '%', en: 'Level', zh: '液位' },
  pressure_kpa: { unit: 'kPa', en: 'Pressure', zh: '压力' },
  temp_c: { unit: '°C', en: 'Temperature', zh: '温度' },
  wind_speed_ms: { unit: 'm/s', en: 'Wind speed', zh: '风速' },
  wind_dir_deg: { unit: '°', en: 'Wind direction', zh: '风向' },
  speed_kmh: { unit: 'km/h', en: 'Speed', zh: '车速' },
  flow_vph: { unit: 'veh/h', en: 'Flow', zh: '流量' },
  occupancy_pct: { unit: '%', en: 'Occupancy', zh: '占有率' },
  visibility_m: { unit: 'm', en: 'Visibility', zh: '能见度' },
  road_temp_c: { unit: '°C', en: 'Road surface temp.', zh: '路面温度' },
  precip_mmh: { unit: 'mm/h', en: 'Precipitation', zh: '降水' },
  lon_deg: { unit: '°', en: 'Longitude', zh: '经度' },
  lat_deg: { unit: '°', en: 'Latitude', zh: '纬度' },
  heading_deg: { unit: '°', en: 'Heading', zh: '航向' },
} as const;

export type Quantity = keyof typeof QUANTITIES;

export function isQuantity(name: string): name is Quantity {
  return Object.prototype.hasOwnProperty.call(QUANTITIES, name);
}

/** Readings of one message: quantity name → value. */
export type Values = Partial<Record<Quantity, number>>;

/**
 * Physical range of each quantity, [min, max] in its unit: a reading outside it is no measurement
 * but a fault or an attack, rejected as `out_of_range` so no alarm ever quotes it. Each bound says
 * where it comes from; the contract names o2_pct 0–100, h2s_ppm 0–10,000 and speed_kmh 0–300.
 */
export const QUANTITY_RANGES: Record<Quantity, readonly [min: number, max: number]> = {
  o2_pct: [0, 100], // a volume fraction
  // Toxic-gas channels: 10,000 ppm is 1 % vol, the top of electrochemical / PID cell ranges; above
  // it a gas is measured in % LEL or % vol, not ppm.
  h2s_ppm: [0, 10_000],
  co_ppm: [0, 10_000],
  nh3_ppm: [0, 10_000],
  cl2_ppm: [0, 10_000],
  voc_ppm: [0, 10_000],
  lel_pct: [0, 100], // a catalytic / IR combustible sensor reads 0–100 % of the lower explosive limit
  level_pct: [0, 100], // of the tank's height
  // Gauge pressure: full vacuum (−101.325 kPa) up to 100 MPa, past any atmospheric storage tank or vessel.
  pressure_kpa: [-101.325, 100_000],
  temp_c: [-200, 850], // platinum RTD range of IEC 60751
  wind_speed_ms: [0, 120], // above the strongest gust measured at a surface station (113 m/s, 1996)
  wind_dir_deg: [0, 360],
  speed_kmh: [0, 300],
  flow_vph: [0, 20_000], // a detector station over several lanes; one lane carries about 2,200 veh/h
  occupancy_pct: [0, 100],
  visibility_m: [0, 100_000], // forward-scatter visibility sensors read to tens of kilometres
  road_temp_c: [-60, 100], // road-surface sensors: air extremes plus solar heating of asphalt
  precip_mmh: [0, 500], // beyond the highest measured short-duration rain intensities
  lon_deg: [-180, 180],
  lat_deg: [-90, 90],
  heading_deg: [0, 360],
};

/** Whether `value` lies within the physical range of `quantity`. */
export function inRange(quantity: Quantity, value: number): boolean {
  const [min, max] = QUANTITY_RANGES[quantity];
  return value >= min && value <= max;
}

/**
 * Quantities of the wire contract. The unit is part of the name (DESIGN "MQTT topics").
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

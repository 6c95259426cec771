/** Sentences of the thresholds and staleness of every scene, the park's geofences, the roads' rules, video and escalation. */
import type { Say } from './say';
import type { SentenceTable } from './sentence';

const INCIDENT_KIND: Record<'zh' | 'en', Record<string, string>> = {
  zh: { crash: '交通事故', roadworks: '道路施工', closure: '道路封闭' },
  en: { crash: 'Crash', roadworks: 'Roadworks', closure: 'Closure' },
};
const VIDEO_KIND: Record<'zh' | 'en', Record<string, string>> = {
  zh: { fire: '火焰', smoke: '烟雾', intrusion: '人员闯入', no_helmet: '未戴安全帽', attendant_absent: '监护人不在岗', vehicle_stopped: '车辆停驶' },
  en: { fire: 'fire', smoke: 'smoke', intrusion: 'intrusion', no_helmet: 'person without a helmet', attendant_absent: 'attendant absent', vehicle_stopped: 'stopped vehicle' },
};
const VIDEO_PLACE: Record<'zh' | 'en', Record<string, string>> = {
  zh: { danger_zone: '（危险区内）', occupied_opening: '（有人作业的出入口）', expressway: '（高速公路上）' },
  en: { danger_zone: ' in a danger zone', occupied_opening: ' at an occupied space opening', expressway: ' on an expressway' },
};

const segments = (s: Say, ids: readonly string[]) => s.list(ids.map((id) => s.segment(id)));

export const OTHER_SENTENCES: SentenceTable<'threshold' | 'stale' | 'off_route' | 'speeding' | 'parked' | 'incident' | 'fog' | 'ice' | 'stuck' | 'video' | 'escalated'> = {
  threshold: {
    zh: (p, s) => `${s.q(p.quantity)} ${s.v(p.quantity, p.value)} ${p.op} ${s.v(p.quantity, p.threshold)}`,
    en: (p, s) => `${s.q(p.quantity)} ${s.v(p.quantity, p.value)} ${p.op} ${s.v(p.quantity, p.threshold)}`,
  },
  stale: {
    zh: (p) => `超过 ${p.silentS} 秒未收到数据（每 ${p.intervalS} 秒上报）`,
    en: (p) => `no telemetry for more than ${p.silentS} s (reports every ${p.intervalS} s)`,
  },
  off_route: {
    zh: (p, s) => `偏离核准路线 ${s.n(p.distanceM, 'm')}（允许 ${s.n(p.limitM, 'm')}）`,
    en: (p, s) => `off the permitted route by ${s.n(p.distanceM, 'm')} (limit ${s.n(p.limitM, 'm')})`,
  },
  speeding: {
    zh: (p, s) => `园区内超速：${s.n(p.speedKmh, 'km/h')}（限速 ${s.n(p.limitKmh, 'km/h')}）`,
    en: (p, s) => `speeding in the park: ${s.n(p.speedKmh, 'km/h')} (limit ${s.n(p.limitKmh, 'km/h')})`,
  },
  parked: {
    zh: (p) => `在危化品停车场外停车 ${p.minutes} 分钟（限 ${p.limitMin} 分钟）`,
    en: (p) => `parked outside the hazmat lot for ${p.minutes} min (limit ${p.limitMin} min)`,
  },
  incident: {
    zh: (p, s) => `${INCIDENT_KIND.zh[p.kind] ?? '道路事件'}：${s.segment(p.segmentId)}`,
    en: (p, s) => `${INCIDENT_KIND.en[p.kind] ?? 'Incident'} on ${s.segment(p.segmentId)}`,
  },
  fog: {
    zh: (p, s) => {
      const act = `限速 ${s.n(p.limitKmh, 'km/h')}${p.exit ? '，从最近出口驶离' : ''}`;
      return `能见度 ${s.n(p.visibilityM, 'm')}（低于 ${s.n(p.belowM, 'm')}）：${act}${p.segmentIds.length ? `；影响路段：${segments(s, p.segmentIds)}` : ''}`;
    },
    en: (p, s) => {
      const act = `limit ${s.n(p.limitKmh, 'km/h')}${p.exit ? ', leave at the next exit' : ''}`;
      return `visibility ${s.n(p.visibilityM, 'm')} (below ${s.n(p.belowM, 'm')}): ${act}${p.segmentIds.length ? `; segments: ${segments(s, p.segmentIds)}` : ''}`;
    },
  },
  ice: {
    zh: (p, s) => `路面 ${s.v('road_temp_c', p.roadTempC)}，降水 ${s.v('precip_mmh', p.precipMmh)}：路面结冰${p.segmentIds.length ? `；影响路段：${segments(s, p.segmentIds)}` : ''}`,
    en: (p, s) => `road surface ${s.v('road_temp_c', p.roadTempC)} with ${s.v('precip_mmh', p.precipMmh)} precipitation: ice${p.segmentIds.length ? `; segments: ${segments(s, p.segmentIds)}` : ''}`,
  },
  stuck: {
    zh: (p, s) => `车速 ${p.speedKmh === null ? '—' : s.n(p.speedKmh, 'km/h')} 已 ${p.minutes} 分钟不变（超过 ${p.limitMin} 分钟）：该路段显示为未知`,
    en: (p, s) => `speed stuck at ${p.speedKmh === null ? '—' : s.n(p.speedKmh, 'km/h')} for ${p.minutes} min (over ${p.limitMin} min): segment shown as unknown`,
  },
  video: {
    zh: (p, s) => `视频识别：${VIDEO_KIND.zh[p.kind] ?? '异常'}${p.place ? VIDEO_PLACE.zh[p.place] : ''}，${s.device(p.cameraId)}，置信度 ${p.confidence}${p.incidentCandidate ? '；疑似交通事件，请核实' : ''}`,
    en: (p, s) => `video: ${VIDEO_KIND.en[p.kind] ?? p.kind.replace(/_/g, ' ')}${p.place ? VIDEO_PLACE.en[p.place] : ''} (${s.device(p.cameraId)}, confidence ${p.confidence})${p.incidentCandidate ? '; possible incident, please confirm' : ''}`,
  },
  escalated: {
    zh: (p) => `超过 ${p.afterS} 秒无人确认，已升级通知`,
    en: (p) => `unacknowledged for ${p.afterS} s: escalated`,
  },
};

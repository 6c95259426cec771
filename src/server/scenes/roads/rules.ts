/**
 * Road-scene rules in the service: keeps each traffic detector's speed track and the incidents
 * reported by road operators (raising one `incident` alarm per open incident), raises `stuck`
 * (warning) for a detector that repeats one value, names the covered segments in a weather
 * station's fog / ice alarms, samples the network index once a minute, and answers the road API
 * (segments, route, network, incidents, weather). Every answer reads a RoadSource: the live state
 * by default, or the twin at a past instant (./replay.ts), so the same code answers both.
 */
import { detail, type AlarmRecord, type Device, type IncidentEvent, type SegmentControl, type Severity } from '../../../contracts';
import {
  EMPTY_TRACK,
  SpeedTrack,
  buildRoadGraph,
  congestionCriterion,
  detectorHealth,
  fogBand,
  foldIncident,
  isStale,
  isStuck,
  learnUsual,
  localHourOf,
  nearestSegments,
  networkNow,
  weightedNetworkIndex,
  routeSnapped,
  segmentControl,
  segmentControls,
  segmentLevel,
  segmentSpeed,
  smoothedSpeedKmh,
  stationWeather,
  unchangedForMs,
  usualSpeedKmh,
  withControls,
  type Condition,
  type IncidentView,
  type LonLat,
  type NetworkView,
  type RoadGraph,
  type Route,
  type SegmentView,
  type SpeedTrackView,
  type UsualCell,
  type WeatherStationView,
} from '../../../domain';
import type { AlarmEngine, ConditionDecorator, EventRule, Subject, ValueRule } from '../../alarms';
import type { DeviceStates } from '../../history/twinAt';
import type { Ingest } from '../../ingest';
import type { RegistryIndex } from '../../registry';
import type { IndexSample, Storage } from '../../storage';

export * from './options';
import { INCIDENT_RESTORE_MS, INCIDENT_SEVERITY, INDEX_KEEP_MS, ROAD_DEFAULTS, SAMPLE_EVERY_MS, STUCK_SEVERITY, type RoadRulesOptions } from './options';

export interface RoadDeps {
  registry: RegistryIndex;
  ingest: Ingest;
  alarms: AlarmEngine;
  /** Where the incidents are replayed from and the index history kept; null: memory only. */
  storage: Storage | null;
  log?: (message: string) => void;
}

export type RouteResult = { ok: true; route: Route } | { ok: false; message: string };

/**
 * What the road answers read: the live state (`RoadRules.live`) or the twin as it stood at a past
 * instant (./replay.ts). The answer-building code is the same for both.
 */
export interface RoadSource {
  /** Device values, ts and heardAt: the live Ingest or a TwinAt. */
  readonly states: DeviceStates;
  /** A detector's speed track (smoothing and stuck). */
  track(deviceId: string): SpeedTrackView;
  /** Incidents known, open and cleared, by id. */
  readonly incidents: ReadonlyMap<string, IncidentView>;
  /** Network index samples with fromMs ≤ ts ≤ toMs, oldest first. */
  indexHistory(fromMs: number, toMs: number): IndexSample[];
  /** Ids of a weather station's fog / ice alarms not closed. */
  stationAlarmIds(deviceId: string): string[];
}

const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
const round2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
const isWeatherRule = (rule: string) => rule === 'fog' || rule === 'ice';
const controlOf = (segmentId: string, control: SegmentControl | null) => (control ? [{ segmentId, control }] : []);

export class RoadRules {
  graph: RoadGraph;
  readonly options: RoadRulesOptions;
  /** The live state, as the answers read it. */
  readonly live: RoadSource;
  private readonly tracks = new Map<string, SpeedTrack>();
  private readonly incidentsById = new Map<string, IncidentView>();
  /** Learned usual speed by segment and local hour. */
  private readonly usual = new Map<string, Map<number, UsualCell>>();
  private history: IndexSample[] = [];
  private lastSampleMinute: number | null = null;
  /** Weather device → the segments its station covers (site `props.segmentIds`). */
  private readonly coveredBy = new Map<string, string[]>();
  /** Segment → the weather devices covering it (the inverse of coveredBy). */
  private readonly coveringOf = new Map<string, string[]>();
  /** Weather device → ids of its fog / ice alarms not yet closed. */
  private readonly stationAlarms = new Map<string, Set<string>>();

  constructor(
    private readonly d: RoadDeps,
    options: Partial<RoadRulesOptions> = {},
  ) {
    this.options = { ...ROAD_DEFAULTS, ...options };
    this.graph = buildRoadGraph(d.registry.segments());
    this.registryChanged();
    this.live = {
      states: d.ingest,
      track: (id) => this.tracks.get(id) ?? EMPTY_TRACK,
      incidents: this.incidentsById,
      indexHistory: (fromMs, toMs) => this.history.filter(([t]) => t >= fromMs && t <= toMs),
      stationAlarmIds: (id) => [...(this.stationAlarms.get(id) ?? [])],
    };
  }

  /** The network and the weather stations' coverage follow the registry (a segment or station added or retired). */
  registryChanged(): void {
    this.graph = buildRoadGraph(this.d.registry.segments());
    this.coveredBy.clear();
    this.coveringOf.clear();
    for (const dev of this.d.registry.devices.values()) {
      if (dev.kind !== 'weather') continue;
      const ids = this.d.registry.sites.get(dev.siteId)?.props?.segmentIds;
      const covered = Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
      this.coveredBy.set(dev.id, covered);
      for (const id of covered) this.coveringOf.set(id, [...(this.coveringOf.get(id) ?? []), dev.id]);
      if (!this.stationAlarms.has(dev.id)) this.stationAlarms.set(dev.id, new Set());
    }
  }

  /** After a restart: tracks from the restored live values, incidents replayed, index history reloaded. */
  async restore(nowMs: number): Promise<void> {
    for (const dets of this.d.registry.detectorsBySegment.values()) {
      for (const det of dets) {
        const st = this.d.ingest.state(det.id);
        const v = st?.values.speed_kmh;
        if (st?.ts != null && v !== undefined) this.track(det.id).add(st.ts, v);
      }
    }
    for (const a of this.d.alarms.list('roads', true, 10_000)) this.onAlarmChange(a);
    if (!this.d.storage) return;
    try {
      // Up to any instant: a report may carry a ts up to 5 min ahead of the clock.
      for (const e of await this.d.storage.history.eventsBetween('roads', nowMs - INCIDENT_RESTORE_MS, Number.MAX_SAFE_INTEGER)) {
        if (e.type === 'incident') foldIncident(this.incidentsById, e.deviceId, e.event as IncidentEvent);
      }
      this.history = await this.d.storage.history.indexHistory(nowMs - this.options.historyMs, Number.MAX_SAFE_INTEGER);
    } catch (err) {
      this.d.log?.(`roads: incidents and index history not restored: ${(err as Error).message}`);
    }
  }

  /** Every detector reading that moved the live state: its speed track, and the stuck rule. */
  readonly valueRule: ValueRule = (device, values, nowMs) => {
    const v = values.speed_kmh;
    if (device.kind !== 'traffic_detector' || v === undefined) return;
    // The reading's own ts: smoothing and "unchanged for" follow the detector's clock.
    const ts = this.d.ingest.state(device.id)?.ts ?? nowMs;
    const track = this.track(device.id);
    if (!track.add(ts, v)) return;
    // The stuck window is the on-delay already.
    this.d.alarms.assert(this.stuckSubject(device), this.stuckCondition(track), nowMs, 0);
  };

  /** An operator's `incident` event opens (state `open`) or clears (`cleared`) one alarm per incident, and is kept. */
  readonly eventRule: EventRule = (device, event, nowMs) => {
    if (event.type !== 'incident') return;
    const e = event as IncidentEvent;
    const subject: Subject = { key: `incident|${e.incidentId}`, scene: device.scene, siteId: e.segmentId, deviceId: device.id };
    const cond: Condition | null =
      e.state === 'open'
        ? {
            rule: 'incident',
            severity: INCIDENT_SEVERITY,
            value: null,
            threshold: null,
            message: `${e.kind} on ${e.segmentId} (${e.incidentId})`,
            detail: detail('incident', { kind: e.kind, segmentId: e.segmentId, incidentId: e.incidentId }),
            at: [e.lonDeg, e.latDeg],
          }
        : null;
    // Reported by a person, not measured: no on-delay.
    this.d.alarms.assert(subject, cond, nowMs, 0);
    foldIncident(this.incidentsById, device.id, e);
  };

  /** A weather station's fog or ice alarm says which segments it covers (the alarm record has no field for it). */
  readonly decorate: ConditionDecorator = (device, cond) => {
    const ids = this.coveredBy.get(device.id);
    if (!ids?.length || !isWeatherRule(cond.rule)) return cond;
    const d = cond.detail && { ...cond.detail, params: { ...cond.detail.params, segmentIds: [...ids] } };
    return { ...cond, message: `${cond.message}; segments ${ids.join(', ')}`, ...(d ? { detail: d } : {}) };
  };

  /** Tracks the open fog / ice alarms of each station, for /api/weather. */
  readonly onAlarmChange = (alarm: AlarmRecord): void => {
    const set = alarm.deviceId ? this.stationAlarms.get(alarm.deviceId) : undefined;
    if (!set || !isWeatherRule(alarm.rule)) return;
    if (alarm.state === 'closed') set.delete(alarm.id);
    else set.add(alarm.id);
  };

  /** Once a second: on a new minute, samples the network index, learns usual speeds, forgets old incidents. */
  tick(nowMs: number): void {
    const minute = Math.floor(nowMs / SAMPLE_EVERY_MS);
    if (minute === this.lastSampleMinute) return;
    this.lastSampleMinute = minute;
    const views = this.segments(nowMs);
    const ts = minute * SAMPLE_EVERY_MS;
    const index = round2(weightedNetworkIndex(views).index);
    this.history = this.history.filter(([t]) => t >= nowMs - this.options.historyMs && t !== ts);
    this.history.push([ts, index]);
    this.persistIndex(ts, index);
    const hour = localHourOf(nowMs);
    for (const v of views) {
      // A jam behind an incident is not what is usual at this hour.
      if (v.health !== 'ok' || v.smoothedSpeedKmh === null || v.incidentIds.length > 0) continue;
      const cells = this.usual.get(v.id) ?? new Map<number, UsualCell>();
      cells.set(hour, learnUsual(cells.get(hour), v.smoothedSpeedKmh));
      this.usual.set(v.id, cells);
    }
    for (const [id, inc] of this.incidentsById) {
      if (inc.clearedAt !== null && inc.clearedAt < nowMs - this.options.clearedKeepMs) this.incidentsById.delete(id);
    }
  }

  /** GET /api/segments: each segment as `src` has it at `nowMs` (health is judged at `nowMs`); `only` picks one. */
  segments(nowMs: number, src: RoadSource = this.live, only?: string): SegmentView[] {
    const open = [...src.incidents.values()].filter((i) => i.state === 'open');
    const hour = localHourOf(nowMs);
    // One segment (a detector reading's congestion rule) costs one lookup, not a pass over the network.
    const controls = this.controls(src, only);
    const one = only === undefined ? null : this.d.registry.sites.get(only);
    const segs = only === undefined ? this.d.registry.segments() : one?.kind === 'segment' ? [one] : [];
    return segs.map((seg): SegmentView => {
      const p = seg.props ?? {};
      const edge = this.graph.edgeById.get(seg.id);
      let updatedAt: number | null = null;
      const dets = (this.d.registry.detectorsBySegment.get(seg.id) ?? []).map((det) => {
        const st = src.states.state(det.id);
        const track = src.track(det.id);
        if (st?.ts != null) updatedAt = Math.max(updatedAt ?? 0, st.ts);
        return {
          health: detectorHealth({ heardAtMs: st?.heardAt ?? null, online: st?.online ?? null, intervalS: det.intervalS, track }, nowMs, this.options),
          speedKmh: st?.values.speed_kmh ?? null,
          smoothedSpeedKmh: smoothedSpeedKmh(track),
        };
      });
      const s = segmentSpeed(dets);
      const roadClass = edge?.roadClass ?? null;
      const freeFlowKmh = edge?.freeFlowKmh ?? 0;
      const here = open.filter((i) => i.segmentId === seg.id);
      const control = controls.get(seg.id) ?? null;
      return {
        id: seg.id,
        class: roadClass ?? 'unknown',
        speedKmh: round1(s.speedKmh),
        // Expressways by their speed against their own free flow, urban roads by GB/T 33171 (segmentLevel).
        level: s.smoothedSpeedKmh !== null && roadClass ? segmentLevel(s.smoothedSpeedKmh, { roadClass, freeFlowKmh }) : null,
        criterion: roadClass ? congestionCriterion(roadClass) : undefined,
        control,
        name: seg.name,
        nameZh: seg.nameZh,
        roadName: typeof p.roadName === 'string' ? p.roadName : null,
        direction: typeof p.direction === 'string' ? p.direction : null,
        lanes: typeof p.lanes === 'number' ? p.lanes : null,
        lengthM: edge?.lengthM ?? 0,
        freeFlowKmh,
        smoothedSpeedKmh: round1(s.smoothedSpeedKmh),
        // The table as learned by now, also for a past instant: it is not stored, and moves slowly.
        usualSpeedKmh: round1(usualSpeedKmh(freeFlowKmh, hour, this.usual.get(seg.id)?.get(hour)))!,
        health: s.health,
        closed: here.some((i) => i.closesSegment) || control?.action === 'close',
        incidentIds: here.map((i) => i.incidentId),
        updatedAt,
      };
    });
  }

  /**
   * Fog / ice control per segment from the stations' latest readings (a quiet station keeps its last:
   * silence lifts nothing); `only`: just the stations covering that segment.
   */
  controls(src: RoadSource = this.live, only?: string): Map<string, SegmentControl> {
    const covering = only === undefined ? [...this.coveredBy] : (this.coveringOf.get(only) ?? []).map((id) => [id, this.coveredBy.get(id)!] as const);
    const stations = covering.map(([deviceId, segmentIds]) => ({ segmentIds, ...stationWeather(src.states.state(deviceId)?.values ?? {}) }));
    return segmentControls(stations, (id) => this.graph.edgeById.get(id)?.roadClass ?? null);
  }

  /** GET /api/route: fastest route on the smoothed speeds of `src`, avoiding closed segments, within fog limits. */
  route(from: LonLat, to: LonLat, nowMs: number, src: RoadSource = this.live): RouteResult {
    const views = this.segments(nowMs, src);
    const closed = new Set(views.filter((v) => v.closed).map((v) => v.id));
    const snap = (at: LonLat, what: string) => {
      const snaps = nearestSegments(this.graph, at, 1, closed);
      if (snaps.length === 0) return `${what}: no open road`;
      if (snaps[0].distanceM > this.options.maxSnapM) {
        return `${what} is ${(snaps[0].distanceM / 1000).toFixed(1)} km from the nearest open road (at most ${this.options.maxSnapM / 1000} km)`;
      }
      return snaps;
    };
    const f = snap(from, 'from');
    const t = snap(to, 'to');
    if (typeof f === 'string') return { ok: false, message: f };
    if (typeof t === 'string') return { ok: false, message: t };
    const live = new Map(views.filter((v) => v.health === 'ok').map((v) => [v.id, v.smoothedSpeedKmh]));
    const levels = new Map(views.map((v) => [v.id, v.level]));
    // The lower of live speed and a fog limit; ice-closed segments are already in `closed`.
    const opts = withControls({ closed, speedKmh: (id) => live.get(id), levelOf: (id) => levels.get(id) }, new Map(views.flatMap((v) => (v.control ? [[v.id, v.control] as const] : []))));
    const route = routeSnapped(this.graph, f, t, opts);
    return route ? { ok: true, route } : { ok: false, message: 'no open road leads from `from` to `to`' };
  }

  /** GET /api/network: the index at `nowMs`, the network length by level, and the index of the `hours` before. */
  network(nowMs: number, hours: number, src: RoadSource = this.live): NetworkView {
    const since = nowMs - Math.min(hours * 3600_000, this.options.historyMs);
    return { ts: nowMs, ...networkNow(this.segments(nowMs, src)), history: src.indexHistory(since, nowMs), sampleEveryS: SAMPLE_EVERY_MS / 1000 };
  }

  /** GET /api/incidents: open ones and those cleared within `clearedKeepMs`, newest report first. */
  incidents(nowMs: number, openOnly = false, src: RoadSource = this.live): IncidentView[] {
    return [...src.incidents.values()]
      .filter((i) => i.state === 'open' || (!openOnly && i.clearedAt !== null && i.clearedAt >= nowMs - this.options.clearedKeepMs))
      .sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** GET /api/weather: each station's values, health judged at `nowMs`, fog band, ice and open alarms. */
  weather(nowMs: number, src: RoadSource = this.live): WeatherStationView[] {
    const out: WeatherStationView[] = [];
    for (const [deviceId, segmentIds] of this.coveredBy) {
      const dev = this.d.registry.devices.get(deviceId)!;
      const st = src.states.state(deviceId);
      const v = st?.values ?? {};
      const heard = st?.heardAt ?? null;
      const health = heard === null ? 'nodata' : st?.online === false || isStale(heard, dev.intervalS, nowMs) ? 'stale' : 'ok';
      const band = v.visibility_m !== undefined ? fogBand(v.visibility_m) : null;
      out.push({
        deviceId,
        siteId: dev.siteId,
        name: dev.name,
        nameZh: dev.nameZh,
        lonDeg: dev.position[0],
        latDeg: dev.position[1],
        ts: st?.ts ?? null,
        health,
        visibilityM: v.visibility_m ?? null,
        roadTempC: v.road_temp_c ?? null,
        precipMmh: v.precip_mmh ?? null,
        fog: band && { belowM: band.belowM, limitKmh: band.limitKmh, exit: band.exit, severity: band.severity },
        ice: stationWeather(v).ice,
        segmentIds,
        alarmIds: src.stationAlarmIds(deviceId),
        controls: segmentIds.flatMap((segmentId) => controlOf(segmentId, segmentControl(stationWeather(v), this.graph.edgeById.get(segmentId)?.roadClass ?? null))),
      });
    }
    return out;
  }

  private stuckSubject(device: Device): Subject {
    return { key: `${device.id}|stuck`, scene: device.scene, siteId: device.siteId, deviceId: device.id };
  }

  /** A detector's live track, made on its first reading. */
  private track(deviceId: string): SpeedTrack {
    let track = this.tracks.get(deviceId);
    if (!track) this.tracks.set(deviceId, (track = new SpeedTrack(this.options)));
    return track;
  }

  private stuckCondition(track: SpeedTrackView): Condition | null {
    if (!isStuck(track, this.options)) return null;
    const minutes = Math.round(unchangedForMs(track) / 6000) / 10;
    const value = track.lastKmh;
    return {
      rule: 'stuck',
      severity: STUCK_SEVERITY,
      value: minutes,
      threshold: this.options.stuckMs / 60_000,
      message: `speed_kmh stuck at ${value} km/h for ${minutes} min (> ${this.options.stuckMs / 60_000}): segment shown as unknown`,
      detail: detail('stuck', { speedKmh: value, minutes, limitMin: this.options.stuckMs / 60_000 }),
    };
  }

  /** One row a minute in SQLite. */
  private persistIndex(ts: number, index: number | null): void {
    if (!this.d.storage) return;
    try {
      this.d.storage.storeIndexSample(ts, index, INDEX_KEEP_MS);
    } catch (err) {
      this.d.log?.(`roads: network index not stored: ${(err as Error).message}`);
    }
  }
}

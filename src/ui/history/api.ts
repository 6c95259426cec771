/**
 * The alarm history API (issue 6): search (`GET /api/alarms/history`), one alarm's transitions
 * (`GET /api/alarms/{id}/events`) and the CSV export (`GET /api/alarms/history.csv`). The export
 * needs the Bearer token, so it is fetched and handed to the browser as a Blob download.
 */
import { parseAlarmRecord, type AlarmRecord, type AlarmState, type Scene, type Severity } from '../../contracts';

/** The drawer's time windows, ms (null: all time). */
export const HISTORY_WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, all: null } as const;
export type HistoryWindow = keyof typeof HISTORY_WINDOWS;

export interface HistoryFilters {
  q: string;
  scene: Scene | '';
  severity: Severity | '';
  /** One state, `open` (any but closed) or '' for all. */
  state: AlarmState | 'open' | '';
  window: HistoryWindow;
}

export const NO_FILTERS: HistoryFilters = { q: '', scene: '', severity: '', state: '', window: '24h' };

/** One step of an alarm's life, as the service lists it. */
export interface AlarmEvent {
  ts: number;
  action: string;
  user: string | null;
  comment: string | null;
  state: string;
  severity: string;
  shelvedUntil?: number | null;
}

/** The query string of a search; `nowMs` fixes the window's start. */
export function historyQuery(f: HistoryFilters, nowMs: number, limit?: number): string {
  const qs = new URLSearchParams();
  if (f.scene) qs.set('scene', f.scene);
  if (f.severity) qs.set('severity', f.severity);
  if (f.state) qs.set('state', f.state);
  if (f.q.trim()) qs.set('q', f.q.trim());
  const span = HISTORY_WINDOWS[f.window];
  if (span !== null) qs.set('from', String(nowMs - span));
  if (limit) qs.set('limit', String(limit));
  return qs.toString();
}

async function get(token: string, path: string, signal?: AbortSignal): Promise<Response> {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, signal });
  if (!res.ok) {
    let msg = `HTTP ${res.status}`;
    try {
      const body = (await res.json()) as { message?: string };
      if (body.message) msg = body.message;
    } catch {
      // not JSON: the status says enough
    }
    throw new Error(msg);
  }
  return res;
}

/** Alarm records matching the filters, newest first; malformed records are dropped. */
export async function fetchHistory(token: string, f: HistoryFilters, signal?: AbortSignal): Promise<AlarmRecord[]> {
  const raw = (await (await get(token, `/api/alarms/history?${historyQuery(f, Date.now(), 500)}`, signal)).json()) as unknown;
  const list = Array.isArray(raw) ? raw : [];
  return list.map(parseAlarmRecord).filter((a): a is AlarmRecord => a !== null);
}

export async function fetchEvents(token: string, alarmId: string, signal?: AbortSignal): Promise<AlarmEvent[]> {
  const raw = (await (await get(token, `/api/alarms/${encodeURIComponent(alarmId)}/events`, signal)).json()) as unknown;
  return Array.isArray(raw) ? (raw as AlarmEvent[]) : [];
}

/** Downloads the CSV of the filtered history under the service's file name. */
export async function downloadHistoryCsv(token: string, f: HistoryFilters, lang: 'zh' | 'en' = 'zh'): Promise<void> {
  // Names and sentences in the reader's language.
  const res = await get(token, `/api/alarms/history.csv?${historyQuery(f, Date.now())}&lang=${lang}`);
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'citytwin-alarms.csv';
  saveBlob(blob, name);
}

/** Hands a Blob to the browser as a file download. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked after the click has been handled; revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `2026-11-29 03:12:45`, local time. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

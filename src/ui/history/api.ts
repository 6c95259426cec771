/**
 * The alarm history drawer's calls: search (`GET /api/alarms/history`), one alarm's transitions
 * (`GET /api/alarms/{id}/events`) and the CSV export (`GET /api/alarms/history.csv`), through the
 * app's API client. The export needs the Bearer token, so it is fetched and handed to the browser
 * as a Blob download.
 */
import type { AlarmRecord, AlarmState, Scene, Severity } from '../../contracts';
import { api } from '../../live';
export type { AlarmEvent } from '../../contracts';

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

/** Alarm records matching the filters, newest first; malformed records are dropped. */
export function fetchHistory(token: string, f: HistoryFilters, signal?: AbortSignal): Promise<AlarmRecord[]> {
  return api.fetchAlarmHistory(token, historyQuery(f, Date.now(), 500), signal);
}

export const fetchEvents = api.fetchAlarmEvents;

/** Downloads the CSV of the filtered history under the service's file name. */
export async function downloadHistoryCsv(token: string, f: HistoryFilters, lang: 'zh' | 'en' = 'zh'): Promise<void> {
  // Names and sentences in the reader's language.
  const { blob, fileName } = await api.download(`/api/alarms/history.csv?${historyQuery(f, Date.now())}&lang=${lang}`, token);
  saveBlob(blob, fileName ?? 'citytwin-alarms.csv');
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

/**
 * The service's HTTP API (DESIGN "HTTP API"), same origin as the app. Every call throws an
 * `ApiError`: `status` is the HTTP status, or 0 when the service could not be reached at all, so
 * callers can tell "wrong password" (401) from "network down" (0).
 */
import type { AlarmRecord, Device, HealthResponse, LiveBatch, LoginResponse, Person, Site } from '../contracts';
import { parseAlarmRecord, validateLiveBatch } from '../contracts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Without an answer in this time a call counts as a network error. */
const TIMEOUT_MS = 15_000;

async function call<T>(path: string, opts: { token?: string; method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    throw new ApiError(0, e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    let message = res.statusText;
    try {
      const body = (await res.json()) as { message?: string; error?: string };
      message = body.message ?? body.error ?? message;
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(res.status, message);
  }
  try {
    return (await res.json()) as T;
  } catch {
    throw new ApiError(res.status, 'answer is not JSON');
  }
}

export function login(username: string, password: string): Promise<LoginResponse> {
  return call<LoginResponse>('/api/login', { method: 'POST', body: { username, password } });
}

/** A list answer: a bare array, or an object holding it under `key` (tolerated, not required). */
function asList<T>(raw: unknown, key: string): T[] {
  if (Array.isArray(raw)) return raw as T[];
  const inner = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[key] : undefined;
  return Array.isArray(inner) ? (inner as T[]) : [];
}

export async function fetchDevices(token: string): Promise<Device[]> {
  return asList<Device>(await call<unknown>('/api/devices', { token }), 'devices');
}

export async function fetchSites(token: string): Promise<Site[]> {
  return asList<Site>(await call<unknown>('/api/sites', { token }), 'sites');
}

/** The roster of badge holders (an older service without it: none, people shown by badge id). */
export async function fetchPersons(token: string): Promise<Person[]> {
  try {
    return asList<Person>(await call<unknown>('/api/persons', { token }), 'persons');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return [];
    throw e;
  }
}

/** Open alarms, each checked against the contract; malformed records are dropped and counted. */
export async function fetchOpenAlarms(token: string): Promise<{ alarms: AlarmRecord[]; rejected: number }> {
  const raw = await call<unknown>('/api/alarms?state=open', { token });
  const list = asList<unknown>(raw, 'alarms');
  const alarms: AlarmRecord[] = [];
  for (const item of list) {
    const a = parseAlarmRecord(item);
    if (a) alarms.push(a);
  }
  return { alarms, rejected: list.length - alarms.length };
}

/** The live state as it stands (GET /api/live), checked like a live batch; null if malformed. */
export async function fetchLiveSnapshot(token: string): Promise<LiveBatch | null> {
  const json = await call<unknown>('/api/live', { token });
  const r = validateLiveBatch(json);
  return r.ok ? r.value : null;
}

/** Acknowledges an alarm; answers the updated record (null if the service sent something else). */
export async function ackAlarm(token: string, id: string, comment?: string): Promise<AlarmRecord | null> {
  const body = comment ? { comment } : {};
  const res = await call<unknown>(`/api/alarms/${encodeURIComponent(id)}/ack`, { token, method: 'POST', body });
  return parseAlarmRecord(res);
}

/** Acknowledges several alarms at once; each is checked against the caller's role, refusals are listed. */
export async function ackAlarms(token: string, ids: string[], comment?: string): Promise<{ acked: number; refused: { id: string; error: string }[] }> {
  const body = comment ? { ids, comment } : { ids };
  return call<{ acked: number; refused: { id: string; error: string }[] }>('/api/alarms/ack', { token, method: 'POST', body });
}

/** Shelves an alarm for `minutes` with a reason (owner role only); answers the updated record. */
export async function shelveAlarm(token: string, id: string, minutes: number, reason: string): Promise<AlarmRecord | null> {
  const res = await call<unknown>(`/api/alarms/${encodeURIComponent(id)}/shelve`, { token, method: 'POST', body: { minutes, reason } });
  return parseAlarmRecord(res);
}

export function fetchHealth(): Promise<HealthResponse> {
  return call<HealthResponse>('/api/health');
}

/**
 * The one HTTP client of the app, same origin as the page. Every answer is checked against its
 * contract schema before anyone reads it, as MQTT payloads are. Every call throws an `ApiError`:
 * `status` is the HTTP status, or 0 when the service could not be reached at all, so callers can
 * tell "wrong password" (401) from "network down" (0); `kind` says `answer` when the service
 * answered something off the contract, which panels show as an error rather than break on.
 */
import { z } from 'zod';
import { markBoot, type BootStep } from '../state';
import {
  alarmEventListSchema,
  alarmListSchema,
  checkAnswer,
  deviceListAnswerSchema,
  healthSchema,
  loginSchema,
  bulkAckSchema,
  personListSchema,
  parseAlarmRecord,
  siteListAnswerSchema,
  validateLiveBatch,
  type AlarmEvent,
  type AlarmRecord,
  type Device,
  type HealthResponse,
  type LiveBatch,
  type LoginResponse,
  type BulkAckAnswer,
  type Person,
  type Site,
} from '../contracts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly kind: 'network' | 'http' | 'answer' = status === 0 ? 'network' : 'http',
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Without an answer in this time a call counts as a network error. Only until the answer starts:
 * reading a large one (the registry, the live snapshot at city scale) on a page busy starting up
 * can take longer, and was cut off and lost.
 */
const TIMEOUT_MS = 15_000;

export interface CallOptions {
  token?: string;
  method?: 'GET' | 'POST';
  body?: unknown;
  /** Aborts the call (a newer one supersedes it); the timeout applies as well. */
  signal?: AbortSignal;
  /** The entity tag of the answer held: an unchanged one comes back as `304`, without a body. */
  ifNoneMatch?: string;
  /** Marked once the answer is parsed as JSON (the start-up's breakdown). */
  jsonMark?: BootStep;
}

/** Sends a request; resolves with an OK response, throws an ApiError with the service's message otherwise. */
async function send(path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  // With this header the browser's own cache stays out of the way and hands the 304 over as it is.
  if (opts.ifNoneMatch) headers['If-None-Match'] = opts.ifNoneMatch;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException(`no answer in ${TIMEOUT_MS} ms`, 'TimeoutError')), TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal ? AbortSignal.any([opts.signal, timeout.signal]) : timeout.signal,
    });
  } catch (e) {
    throw new ApiError(0, e instanceof Error ? e.message : String(e));
  } finally {
    clearTimeout(timer);
  }
  if (res.status === 304 && opts.ifNoneMatch) return res;
  if (!res.ok) {
    let message = res.statusText || `HTTP ${res.status}`;
    try {
      const body = (await res.json()) as { message?: string; error?: string };
      message = body.message ?? body.error ?? message;
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(res.status, message);
  }
  return res;
}

/** Calls `path` and checks the JSON answer against `schema`. */
export async function call<T>(path: string, schema: z.ZodType<T>, opts: CallOptions = {}): Promise<T> {
  return checked(await send(path, opts), path, schema, opts.jsonMark);
}

async function checked<T>(res: Response, path: string, schema: z.ZodType<T>, jsonMark?: BootStep): Promise<T> {
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new ApiError(res.status, `${pathOnly(path)}: the answer is not JSON`, 'answer');
  }
  if (jsonMark) markBoot(jsonMark);
  const checked = checkAnswer(schema, json);
  if (!checked.ok) throw new ApiError(res.status, `${pathOnly(path)}: unexpected answer (${checked.reason})`, 'answer');
  return checked.value;
}

/** The last checked answer of each polled path with its entity tag, for the few paths polled now. */
const held = new Map<string, { token: string; etag: string; value: unknown }>();
const HELD_PATHS = 16;

/**
 * GETs `path` with the session's token (the polled resources' client). An answer that did not
 * change since the last one (the service says `304`) is handed back as the same object, neither
 * read nor checked again.
 */
export async function fetchAnswer<T>(path: string, schema: z.ZodType<T>, opts: { token: string; signal?: AbortSignal; jsonMark?: BootStep }): Promise<T> {
  const prev = held.get(path);
  const mine = prev?.token === opts.token ? prev : undefined;
  const res = await send(path, { ...opts, ifNoneMatch: mine?.etag });
  if (res.status === 304 && mine) return mine.value as T;
  const value = await checked(res, path, schema, opts.jsonMark);
  const etag = res.headers.get('etag');
  held.delete(path);
  if (etag) held.set(path, { token: opts.token, etag, value });
  // Oldest first in a Map: a replay's many instants do not pile up.
  if (held.size > HELD_PATHS) held.delete(held.keys().next().value!);
  return value;
}

/** A file answer (a CSV export): its bytes and the file name the service gives it. */
export async function download(path: string, token: string): Promise<{ blob: Blob; fileName: string | null }> {
  const res = await send(path, { token });
  const fileName = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? null;
  return { blob: await res.blob(), fileName };
}

const pathOnly = (path: string) => path.split('?')[0];

/** For answers checked by their own contract validator after the call (a live batch, an alarm record). */
const checkedAfter = z.unknown();

export function login(username: string, password: string): Promise<LoginResponse> {
  return call('/api/login', loginSchema, { method: 'POST', body: { username, password } });
}

/**
 * The registry's lists, held with their tags like the polled answers: the reload that follows the
 * registry version heard while the first load was on its way gets an empty `304` and the same
 * objects, where it read and checked a city's 8 MB device list a second time.
 */
export function fetchDevices(token: string): Promise<Device[]> {
  return fetchAnswer('/api/devices', deviceListAnswerSchema, { token, jsonMark: 'registryJson' });
}

export function fetchSites(token: string): Promise<Site[]> {
  return fetchAnswer('/api/sites', siteListAnswerSchema, { token });
}

/** The roster of badge holders (an older service without it: none, people shown by badge id). */
export async function fetchPersons(token: string): Promise<Person[]> {
  try {
    return await call('/api/persons', personListSchema, { token });
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return [];
    throw e;
  }
}

/** Alarm records of a list answer, each checked on its own: a malformed record is dropped and counted. */
export function checkedAlarms(list: readonly unknown[]): { alarms: AlarmRecord[]; rejected: number } {
  const alarms: AlarmRecord[] = [];
  for (const item of list) {
    const a = parseAlarmRecord(item);
    if (a) alarms.push(a);
  }
  return { alarms, rejected: list.length - alarms.length };
}

/** Open alarms, newest first. */
export async function fetchOpenAlarms(token: string): Promise<{ alarms: AlarmRecord[]; rejected: number }> {
  return checkedAlarms(await call('/api/alarms?state=open', alarmListSchema, { token }));
}

/** Alarm records of the history search (`query` is its query string), malformed ones dropped. */
export async function fetchAlarmHistory(token: string, query: string, signal?: AbortSignal): Promise<AlarmRecord[]> {
  return checkedAlarms(await call(`/api/alarms/history?${query}`, alarmListSchema, { token, signal })).alarms;
}

/** Every transition of one alarm, oldest first. */
export function fetchAlarmEvents(token: string, alarmId: string, signal?: AbortSignal): Promise<AlarmEvent[]> {
  return call(`/api/alarms/${encodeURIComponent(alarmId)}/events`, alarmEventListSchema, { token, signal });
}

/** The live state as it stands (GET /api/live), checked like a live batch; null if malformed. */
export async function fetchLiveSnapshot(token: string): Promise<LiveBatch | null> {
  const r = validateLiveBatch(await call('/api/live', checkedAfter, { token }));
  markBoot('snapshot');
  return r.ok ? r.value : null;
}

/** Acknowledges an alarm; answers the updated record (null if the service sent something else). */
export async function ackAlarm(token: string, id: string, comment?: string): Promise<AlarmRecord | null> {
  const body = comment ? { comment } : {};
  return parseAlarmRecord(await call(`/api/alarms/${encodeURIComponent(id)}/ack`, checkedAfter, { token, method: 'POST', body }));
}

/** Acknowledges several alarms at once; each is checked against the caller's role, refusals are listed. */
export function ackAlarms(token: string, ids: string[], comment?: string): Promise<BulkAckAnswer> {
  const body = comment ? { ids, comment } : { ids };
  return call('/api/alarms/ack', bulkAckSchema, { token, method: 'POST', body });
}

/** Shelves an alarm for `minutes` with a reason (owner role only); answers the updated record. */
export async function shelveAlarm(token: string, id: string, minutes: number, reason: string): Promise<AlarmRecord | null> {
  const res = await call(`/api/alarms/${encodeURIComponent(id)}/shelve`, checkedAfter, { token, method: 'POST', body: { minutes, reason } });
  return parseAlarmRecord(res);
}

export function fetchHealth(): Promise<HealthResponse> {
  return call('/api/health', healthSchema);
}

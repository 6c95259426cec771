/**
 * The registry management API as the admin pages use it: create, change and retire sites and
 * devices, import (with a dry run) and export, threshold overrides. Calls ask for answers in the
 * user's language (`Accept-Language`), so the service's error texts read as the rest of the page.
 * Errors carry the HTTP status, the service's `error` code and any per-field messages.
 */
import type { Device, Site } from '../../../contracts';
import type { Lang } from '../../../state';
import { saveBlob } from '../../history/api';

/** One problem the service found, by CSV line (or GeoJSON feature's line) and field. */
export interface RowError {
  line?: number;
  field?: string;
  message: string;
}

export class RegistryApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: RowError[] = [],
  ) {
    super(message);
    this.name = 'RegistryApiError';
  }
}

export type SiteDraft = Omit<Site, 'props'> & { props?: Site['props'] };
export type DeviceDraft = Device;
export type ImportFormat = 'csv' | 'geojson';

/** The import answer: rows that would be (or were) created and updated, and every row's errors. */
export interface ImportAnswer {
  created: number;
  updated: number;
  errors: RowError[];
}

async function send(token: string, lang: Lang, path: string, init: { method?: string; body?: string; type?: string } = {}): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, 'Accept-Language': lang === 'zh' ? 'zh-CN,zh' : 'en' };
  if (init.body !== undefined) headers['Content-Type'] = init.type ?? 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method: init.method ?? 'GET', headers, body: init.body });
  } catch (e) {
    throw new RegistryApiError(0, 'network', (e as Error).message);
  }
  let body: unknown = null;
  if (res.status !== 204) {
    const text = await res.text();
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = { message: text.slice(0, 200) };
    }
  }
  return { status: res.status, body };
}

function fail(status: number, body: unknown): never {
  const b = (body ?? {}) as { error?: string; message?: string; errors?: RowError[]; issues?: RowError[] };
  const errors = Array.isArray(b.errors) ? b.errors : Array.isArray(b.issues) ? b.issues : [];
  throw new RegistryApiError(status, b.error ?? 'http', b.message ?? b.error ?? `HTTP ${status}`, errors);
}

async function json<T>(token: string, lang: Lang, path: string, method: string, body?: unknown): Promise<T> {
  const r = await send(token, lang, path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status < 200 || r.status > 299) fail(r.status, r.body);
  return r.body as T;
}

const at = (kind: 'sites' | 'devices', id?: string) => `/api/${kind}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;

export const createSite = (token: string, lang: Lang, site: SiteDraft) => json<Site>(token, lang, at('sites'), 'POST', site);
export const updateSite = (token: string, lang: Lang, id: string, patch: Partial<SiteDraft>) => json<Site>(token, lang, at('sites', id), 'PATCH', patch);
export const retireSite = (token: string, lang: Lang, id: string) => json<unknown>(token, lang, at('sites', id), 'DELETE');
export const createDevice = (token: string, lang: Lang, device: DeviceDraft) => json<Device>(token, lang, at('devices'), 'POST', device);
export const updateDevice = (token: string, lang: Lang, id: string, patch: Partial<DeviceDraft>) => json<Device>(token, lang, at('devices', id), 'PATCH', patch);
export const retireDevice = (token: string, lang: Lang, id: string) => json<unknown>(token, lang, at('devices', id), 'DELETE');

/** Sets (replaces) a site's or device's threshold override: `{quantity: {major, critical, …}, reason?}`; `{}` removes it. */
export const putThresholds = (token: string, lang: Lang, id: string, body: Record<string, unknown>) => json<unknown>(token, lang, `/api/thresholds/${encodeURIComponent(id)}`, 'PUT', body);

/** The format of a chosen file: GeoJSON by its name or its first character, else CSV. */
export function formatOf(fileName: string, text: string): ImportFormat {
  if (/\.(geo)?json$/i.test(fileName)) return 'geojson';
  if (/\.csv$/i.test(fileName)) return 'csv';
  return text.trimStart().startsWith('{') ? 'geojson' : 'csv';
}

/**
 * Sends a CSV or GeoJSON registry file; with `dryRun` nothing changes. A file with any error
 * answers 400 with the same shape, which is returned, not thrown: the errors are the answer.
 */
export async function importRegistry(token: string, lang: Lang, text: string, format: ImportFormat, dryRun: boolean): Promise<ImportAnswer> {
  const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/geo+json';
  const r = await send(token, lang, `/api/registry/import${dryRun ? '?dryRun=1' : ''}`, { method: 'POST', body: text, type });
  const b = (r.body ?? {}) as Partial<ImportAnswer>;
  if ((r.status >= 200 && r.status < 300) || (r.status === 400 && Array.isArray(b.errors))) {
    return { created: b.created ?? 0, updated: b.updated ?? 0, errors: b.errors ?? [] };
  }
  fail(r.status, r.body);
}

/** Downloads the whole registry as CSV or GeoJSON under the service's file name. */
export async function downloadRegistry(token: string, format: ImportFormat): Promise<void> {
  const res = await fetch(`/api/registry/export?format=${format}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new RegistryApiError(res.status, 'http', `HTTP ${res.status}`);
  const fallback = format === 'csv' ? 'citytwin-registry.csv' : 'citytwin-registry.geojson';
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallback;
  saveBlob(await res.blob(), name);
}

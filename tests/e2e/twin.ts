/**
 * The real twin service for end-to-end tests (../fixture/service.ts, as the integration tests start
 * it) on the generated demo registry, serving the built app (dist/, made by scripts/prepare.ts
 * before the tests run), with a fresh DATA_DIR of its own and the admin's API calls.
 */
import type { Service, ServiceOptions } from '../../src/server/app';
import { api as call, login, removeDir, startTestService, tempDataDir } from '../fixture/service';

export interface Twin {
  url: string;
  mqttUrl: string;
  demoPassword: string;
  devicePassword: string;
  dataDir: string;
  service: Service;
  /** GET an API path as the admin; returns the parsed JSON body. */
  api(path: string): Promise<unknown>;
  /** POST an API path as the admin (JSON body, if any); returns the HTTP status. */
  post(path: string, body?: unknown): Promise<number>;
  close(): Promise<void>;
}

/** Starts the twin; `options` are the in-process ones (an injected clock `now`, for tests that make history fast). */
export async function startTwin(env: Record<string, string> = {}, options: ServiceOptions = {}): Promise<Twin> {
  const dataDir = tempDataDir('citytwin-e2e-');
  let service: Service;
  try {
    service = await startTestService(dataDir, env, options);
  } catch (err) {
    removeDir(dataDir);
    throw err;
  }
  let token: string | null = null;
  const adminToken = async (): Promise<string> => (token ??= await login(service, 'admin'));
  return {
    url: service.url,
    mqttUrl: service.mqttUrl,
    demoPassword: service.config.demoPassword,
    devicePassword: service.config.devicePassword ?? '',
    dataDir,
    service,
    api: async (path) => {
      const r = await call(service, path, { token: await adminToken() });
      if (r.status < 200 || r.status > 299) throw new Error(`${path}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    post: async (path, body) => (await call(service, path, { token: await adminToken(), method: 'POST', body })).status,
    close: async () => {
      await service.close();
      removeDir(dataDir);
    },
  };
}

/**
 * `npm run broker:mosquitto -- --dir DIR --port N [--host ADDR]`: writes DIR/mosquitto.conf and
 * DIR/dynamic-security.json for Debian's Mosquitto with its dynamic-security plugin, holding the
 * service's own account (MQTT_USERNAME / MQTT_PASSWORD), the shared `device` gateway when
 * CITYTWIN_DEVICE_PASSWORD is set (a gateway for every site). Then `mosquitto -c DIR/mosquitto.conf`;
 * the service with MQTT_URL, the same account and BROKER=mosquitto adds each device and gateway (its
 * password and a role scoped to its own devices) as its credentials are issued.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/server/config';
import { DYNSEC_PLUGIN, mosquittoFiles } from '../src/server/mosquitto';
import { RegistryIndex, loadRegistry } from '../src/server/registry';

function fail(message: string): never {
  console.error(`broker:mosquitto: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({ options: { dir: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, plugin: { type: 'string' } } });
if (!values.dir || !values.port) fail('usage: npm run broker:mosquitto -- --dir DIR --port N [--host ADDR] [--plugin PATH]');
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`--port must be a TCP port, not ${values.port}`);
let cfg;
try {
  cfg = loadConfig();
} catch (err) {
  fail(err instanceof ConfigError ? err.message : String(err));
}
if (!cfg.mqttUsername || !cfg.mqttPassword) fail('set MQTT_USERNAME and MQTT_PASSWORD: the service account the broker will hold (the service uses the same)');
const plugin = values.plugin ?? DYNSEC_PLUGIN;
if (!existsSync(plugin)) fail(`the dynamic-security plugin is not at ${plugin} (Debian: apt-get install mosquitto)`);

const dir = resolve(values.dir);
mkdirSync(dir, { recursive: true });
const registry = new RegistryIndex(loadRegistry(cfg.registryPath));
const files = mosquittoFiles({ dir, port, host: values.host, service: { username: cfg.mqttUsername, password: cfg.mqttPassword }, devicePassword: cfg.devicePassword, registry }, plugin);
const conf = join(dir, 'mosquitto.conf');
const json = join(dir, 'dynamic-security.json');
writeFileSync(conf, files.conf, { mode: 0o644 });
// Password hashes: readable by the broker only.
writeFileSync(json, files.dynsec, { mode: 0o600 });
// Started as root, Mosquitto runs as `mosquitto`, and the plugin rewrites its JSON on every change.
if (process.getuid?.() === 0) {
  try {
    const uid = Number(execFileSync('id', ['-u', 'mosquitto']).toString());
    const gid = Number(execFileSync('id', ['-g', 'mosquitto']).toString());
    for (const p of [dir, conf, json]) chownSync(p, uid, gid);
    chmodSync(dir, 0o755);
  } catch {
    console.warn('broker:mosquitto: no `mosquitto` user here; the files stay root\'s');
  }
}
console.log(`broker:mosquitto: wrote ${conf} and ${json}; start it with mosquitto -c ${conf}`);

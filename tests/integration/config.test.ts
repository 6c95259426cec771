/** Configuration is read once and validated; production refuses the published default passwords. */
import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../../src/server/config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const cfg = loadConfig({});
    expect(cfg).toMatchObject({
      port: 8080,
      mqttPort: 1883,
      mqttUrl: null,
      simulate: true,
      devicePassword: 'citytwin-device',
      demoPassword: 'citytwin',
      liveBatchMs: 200,
      nodeEnv: 'development',
      retentionDays: 30,
      rollupRetentionDays: 400,
      mqttUsername: null,
      mqttPassword: null,
    });
    expect(cfg.dataDir).toMatch(/\/data$/);
    expect(cfg.registryPath).toMatch(/public\/data\/registry\.json$/);
    expect(cfg.staticDir).toMatch(/\/dist$/);
  });

  it('rejects bad values with the variable named', () => {
    expect(() => loadConfig({ PORT: 'http' })).toThrow(/PORT/);
    expect(() => loadConfig({ MQTT_URL: 'localhost:1883' })).toThrow(/MQTT_URL/);
    expect(() => loadConfig({ SIMULATE: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ RETENTION_DAYS: '0' })).toThrow(/RETENTION_DAYS/);
  });

  it('keeps rollups at least as long as raw readings, and a broker password only with its username', () => {
    expect(() => loadConfig({ RETENTION_DAYS: '90', ROLLUP_RETENTION_DAYS: '60' })).toThrow(/ROLLUP_RETENTION_DAYS \(60\) must be at least RETENTION_DAYS \(90\)/);
    expect(loadConfig({ RETENTION_DAYS: '90' })).toMatchObject({ retentionDays: 90, rollupRetentionDays: 400 });
    expect(() => loadConfig({ MQTT_PASSWORD: 'pw' })).toThrow(/MQTT_PASSWORD is set without MQTT_USERNAME/);
  });

  it('names the instance and its broker session for several instances on one database', () => {
    const cfg = loadConfig({});
    expect(cfg.instanceId).toMatch(new RegExp(`-${process.pid}$`));
    expect(cfg).toMatchObject({ mqttClientId: 'citytwin-service', instanceUrl: null, databaseUrl: null });
    const ha = loadConfig({ DATABASE_URL: 'postgres://u:pw@db/citytwin', MQTT_URL: 'mqtt://broker:1883', INSTANCE_ID: 'a', INSTANCE_URL: 'http://10.0.0.5:8080' });
    expect(ha).toMatchObject({ instanceId: 'a', instanceUrl: 'http://10.0.0.5:8080' });
    expect(describeConfig(ha)).toContain('MQTT_CLIENT_ID=citytwin-service\n');
    expect(describeConfig(ha)).not.toContain(':pw@');
    expect(describeConfig(cfg)).toContain('MQTT_CLIENT_ID=citytwin-service (unused: one instance)');
    expect(() => loadConfig({ INSTANCE_URL: '10.0.0.5:8080' })).toThrow(/INSTANCE_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/citytwin' })).toThrow(/DATABASE_URL: must be a PostgreSQL URL/);
  });

  it('refuses to start in production on a default or short password, whatever the case of NODE_ENV', () => {
    for (const NODE_ENV of ['production', 'Production', 'PRODUCTION']) {
      expect(() => loadConfig({ NODE_ENV }), NODE_ENV).toThrow(/CITYTWIN_DEMO_PASSWORD is the published default/);
    }
    const strong = 'a-long-demo-secret';
    expect(() => loadConfig({ NODE_ENV: 'production', CITYTWIN_DEMO_PASSWORD: 'short-pw' })).toThrow(/shorter than 12 characters/);
    expect(() => loadConfig({ NODE_ENV: 'production', CITYTWIN_DEMO_PASSWORD: strong, CITYTWIN_DEVICE_PASSWORD: 'citytwin-device' })).toThrow(
      /CITYTWIN_DEVICE_PASSWORD is the published default/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', CITYTWIN_DEMO_PASSWORD: strong, CITYTWIN_DEVICE_PASSWORD: 'eleven-char' })).toThrow(
      /CITYTWIN_DEVICE_PASSWORD is shorter than 12/,
    );
    const ok = loadConfig({ NODE_ENV: 'Production', CITYTWIN_DEMO_PASSWORD: strong, SIMULATE: '0' });
    expect(ok).toMatchObject({ nodeEnv: 'production', simulate: false, devicePassword: null });
    expect(describeConfig(ok)).toContain('CITYTWIN_DEVICE_PASSWORD=(unset: no shared device account)');
    const withDevice = loadConfig({ NODE_ENV: 'production', CITYTWIN_DEMO_PASSWORD: strong, CITYTWIN_DEVICE_PASSWORD: 'device-secret-1' });
    expect(withDevice.devicePassword).toBe('device-secret-1');
  });

  it('prints passwords only while they are the defaults, and never a broker URL password', () => {
    expect(describeConfig(loadConfig({}))).toContain('CITYTWIN_DEMO_PASSWORD=citytwin (default)');
    const printed = describeConfig(loadConfig({ CITYTWIN_DEMO_PASSWORD: 's3cret', MQTT_URL: 'mqtt://svc:hunter2@broker:1883' }));
    expect(printed).not.toContain('s3cret');
    expect(printed).not.toContain('hunter2');
    expect(printed).toContain('MQTT_URL=mqtt://svc:***@broker:1883');
    const account = describeConfig(loadConfig({ MQTT_URL: 'mqtt://broker:1883', MQTT_USERNAME: 'citytwin-svc', MQTT_PASSWORD: 'hunter3' }));
    expect(account).toContain('MQTT_USERNAME=citytwin-svc');
    expect(account).toContain('MQTT_PASSWORD=*** (set)');
    expect(account).not.toContain('hunter3');
  });
});

import { describe, expect, it } from 'vitest';
import { parseSimArgs } from '../../src/simulator/args';
import { DEFAULT_SEED } from '../../src/simulator/engine';

describe('simulator command line', () => {
  it.each([
    [[], {}, { url: 'mqtt://localhost:1883', seed: DEFAULT_SEED, speed: 1, demo: true }],
    [[], { MQTT_PORT: '2883' }, { url: 'mqtt://localhost:2883' }],
    [['--url', 'mqtt://broker:1884', '--seed', '42', '--speed', '60'], {}, { url: 'mqtt://broker:1884', seed: 42, speed: 60 }],
    [['--scenario', 'h2s-pit', '--no-demo'], {}, { scenario: 'h2s-pit', demo: false }],
    [['--start', '2025-11-28T07:30:00+08:00'], {}, { simStartMs: Date.parse('2025-11-27T23:30:00Z') }],
  ])('reads %j (env %j)', (argv, env, expected) => {
    expect(parseSimArgs(argv, env)).toMatchObject(expected);
  });

  it.each([
    [['--speed', '0'], /speed/],
    [['--speed', 'fast'], /speed/],
    [['--seed', '1.5'], /seed/],
    [['--start', 'tomorrow'], /start/],
    [['--url', 'localhost:1883'], /url/],
    [['--bogus'], /bogus/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSimArgs(argv)).toThrow(message);
  });
});

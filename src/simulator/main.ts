/**
 * `npm run simulate -- --url mqtt://localhost:1883 [--seed N] [--speed K] [--scenario NAME]`:
 * publishes the demo registry's devices to a broker until Ctrl-C (then marks them offline).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from '../contracts';
import { parseSimArgs, USAGE } from './args';
import { DATA_DIR, startSimulator } from './run';
import { SCENARIOS } from './scenarios';

async function main(): Promise<void> {
  const usage = USAGE.replace('%SCENARIOS%', SCENARIOS.map((s) => s.name).join(', '));
  let args;
  try {
    args = parseSimArgs(process.argv.slice(2), process.env);
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : e}\n\n${usage}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(`${usage}\n\nscenarios:\n${SCENARIOS.map((s) => `  ${s.name.padEnd(14)} ${s.title}`).join('\n')}`);
    return;
  }
  const path = args.registryPath ?? join(DATA_DIR, 'registry.json');
  let registry: Registry;
  try {
    registry = JSON.parse(readFileSync(path, 'utf8')) as Registry;
  } catch (e) {
    console.error(`cannot read the registry ${path}: ${e instanceof Error ? e.message : e}\n(generate it with: npx tsx scripts/gen-data.ts)`);
    process.exit(1);
  }
  const log = (m: string) => console.log(`${new Date().toISOString()} [simulator] ${m}`);
  const { url, seed, speed, scenario, demo, simStartMs } = args;
  const running = await startSimulator({ url, registry, seed, speed, scenario, demo, simStartMs, log });
  log(`seed ${seed}; scenarios: ${running.simulator.scenarioNames.join(', ') || 'none for this registry'}`);
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1); // a second Ctrl-C: leave at once
    stopping = true;
    void running.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

/**
 * `npm run check:layers` really fails on an import that runs the wrong way: the project's own
 * dependency-cruiser config and tsconfig.domain.json, run on a small tree of layer folders written
 * to a temporary directory (the real src/ is never touched).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'node_modules/.bin');
const run = promisify(execFile);

/** Each file of the tree: its path under src/, what it imports, and the rule it must break (null: none). */
const TREE: { file: string; imports: string[]; breaks: string | null }[] = [
  { file: 'contracts/wire.ts', imports: ['zod'], breaks: null },
  { file: 'contracts/up.ts', imports: ['../domain/rule'], breaks: 'contracts-imports-only-itself' },
  { file: 'domain/rule.ts', imports: ['../contracts/wire'], breaks: null },
  { file: 'domain/ui.ts', imports: ['../state/store'], breaks: 'domain-imports-only-contracts' },
  { file: 'domain/fs.ts', imports: ['node:fs'], breaks: 'shared-layers-use-no-node-builtin' },
  { file: 'domain/globe.ts', imports: ['cesium'], breaks: 'shared-layers-use-no-engine' },
  { file: 'domain/typo.ts', imports: ['./nowhere'], breaks: 'every-import-resolves' },
  { file: 'view/palette.ts', imports: ['../domain/rule'], breaks: null },
  { file: 'view/store.ts', imports: ['../state/store'], breaks: 'view-imports-only-domain-contracts' },
  { file: 'state/store.ts', imports: ['../domain/rule', 'zustand'], breaks: null },
  { file: 'state/scene.ts', imports: ['../scene/layer'], breaks: 'state-imports-only-domain-contracts' },
  { file: 'scene/layer.ts', imports: ['../state/store', '../view/palette'], breaks: null },
  { file: 'scene/panel.ts', imports: ['../ui/panel'], breaks: 'scene-imports-only-state-domain-contracts-view' },
  { file: 'live/link.ts', imports: ['../state/store', 'mqtt'], breaks: null },
  { file: 'live/panel.ts', imports: ['../ui/panel'], breaks: 'live-imports-only-contracts-state' },
  { file: 'ui/panel.ts', imports: ['../scene/layer', '../live/link', '../view/palette'], breaks: null },
  { file: 'ui/config.ts', imports: ['../server/app'], breaks: 'browser-never-imports-node-side' },
  { file: 'server/app.ts', imports: ['../domain/rule', 'node:fs'], breaks: null },
  { file: 'server/store.ts', imports: ['../state/store'], breaks: 'server-imports-only-domain-contracts' },
  { file: 'server/react.ts', imports: ['react'], breaks: 'node-side-uses-no-browser-engine' },
  { file: 'simulator/run.ts', imports: ['../contracts/wire'], breaks: null },
  { file: 'simulator/app.ts', imports: ['../server/app'], breaks: 'simulator-imports-only-domain-contracts' },
];

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'citytwin-layers-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(ROOT, 'tsconfig.json'), include: ['src'] }));
  for (const { file, imports } of TREE) {
    mkdirSync(dirname(join(dir, 'src', file)), { recursive: true });
    writeFileSync(join(dir, 'src', file), imports.map((m, i) => `import * as m${i} from '${m}';\nexport const x${i} = m${i};\n`).join(''));
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a tool of node_modules/.bin in the tree; its exit code and what it printed. */
async function tool(name: string, args: string[]): Promise<{ code: number; out: string }> {
  return run(join(BIN, name), args, { cwd: dir }).then(
    (ok) => ({ code: 0, out: ok.stdout }),
    (err: { code: number; stdout: string }) => ({ code: err.code, out: err.stdout }),
  );
}

/** depcruise on the tree as check:layers runs it: the `rule: from` of each violation, and its exit code. */
async function cruise(): Promise<{ code: number; violations: string[] }> {
  const r = await tool('depcruise', ['src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err']);
  const violations = [...r.out.matchAll(/^\s*error ([\w-]+): (\S+) →/gm)].map((m) => `${m[1]}: ${m[2]}`);
  return { code: r.code, violations };
}

describe('check:layers', () => {
  it('reports every import that runs the wrong way, each under its rule, and none that runs the right way', async () => {
    const { code, violations } = await cruise();
    const expected = TREE.filter((t) => t.breaks).map((t) => `${t.breaks}: src/${t.file}`);
    expect(violations.sort()).toEqual(expected.sort());
    expect(code).not.toBe(0);
  });

  it('compiles domain and contracts without the DOM or Node: a `document` or `process` in the domain is an error', async () => {
    const src = join(dir, 'src/domain');
    writeFileSync(join(src, 'pure.ts'), 'export const half = (x: number): number => x / 2;\n');
    writeFileSync(join(src, 'dom.ts'), 'export const title = (): string => document.title;\n');
    writeFileSync(join(src, 'node.ts'), 'export const home = (): string | undefined => process.env.HOME;\n');
    const project = join(dir, 'tsconfig.domain.json');
    const files = ['src/domain/pure.ts', 'src/domain/dom.ts', 'src/domain/node.ts', join(ROOT, 'types/shared-runtime.d.ts')];
    writeFileSync(project, JSON.stringify({ extends: join(ROOT, 'tsconfig.domain.json'), include: [], files }));
    const r = await tool('tsc', ['--noEmit', '-p', project]);
    expect(r.code).not.toBe(0);
    const failing = [...r.out.matchAll(/^(src\/domain\/\w+\.ts)\(/gm)].map((m) => m[1]);
    expect(new Set(failing)).toEqual(new Set(['src/domain/dom.ts', 'src/domain/node.ts']));
  });
});

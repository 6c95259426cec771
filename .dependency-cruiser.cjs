/**
 * The layers of src/ and which way their imports may run (`npm run check:layers`, first step of
 * `npm test`). Type-only imports count: a type pulled from the wrong layer couples as much as code.
 *
 *   contracts ← domain ← state ← ui         view ← scene, ui         live → contracts, state
 *   server → domain, contracts              simulator → domain, contracts
 *
 * The browser (state, scene, ui, live, view, i18n, main.tsx) and the Node side (server, simulator)
 * never import each other; domain and contracts are shared by both, so they import no engine, no
 * Node built-in and no DOM (the DOM half is checked by tsconfig.domain.json, which has no DOM lib).
 */
/** A rule forbidding `layer` to import any layer of src/ outside `allowed` (itself always allowed). */
function onlyImports(layer, allowed) {
  const ok = [layer, ...allowed].join('|');
  return {
    name: `${layer}-imports-only-${allowed.length ? allowed.join('-') : 'itself'}`,
    comment: `src/${layer} may import ${allowed.length ? allowed.map((l) => `src/${l}`).join(', ') : 'nothing else of src/'}`,
    severity: 'error',
    from: { path: `^src/${layer}/` },
    to: { path: '^src/', pathNot: `^src/(${ok})/` },
  };
}

/** Packages that tie code to a renderer, the DOM, a transport or a server. */
const ENGINES = ['react', 'react-dom', 'react-i18next', 'cesium', '@cesium', 'three', '@deck\\.gl', 'mqtt', 'zustand', 'uplot', 'fastify', '@fastify', 'aedes', 'better-sqlite3', 'ws'];
const BROWSER_ONLY = ['react', 'react-dom', 'react-i18next', 'cesium', '@cesium', 'three', '@deck\\.gl', 'zustand', 'uplot'];
const pkg = (names) => `node_modules/(${names.join('|')})/`;

module.exports = {
  forbidden: [
    onlyImports('contracts', []),
    onlyImports('domain', ['contracts']),
    onlyImports('view', ['domain', 'contracts']),
    onlyImports('state', ['domain', 'contracts']),
    onlyImports('scene', ['state', 'domain', 'contracts', 'view']),
    onlyImports('live', ['contracts', 'state']),
    onlyImports('server', ['domain', 'contracts']),
    onlyImports('simulator', ['domain', 'contracts']),
    {
      name: 'browser-never-imports-node-side',
      comment: 'the browser app (ui, i18n, main.tsx) never imports the service or the simulator',
      severity: 'error',
      from: { path: '^src/(ui/|i18n/|main\\.tsx$)' },
      to: { path: '^src/(server|simulator)/' },
    },
    {
      name: 'shared-layers-use-no-engine',
      comment: 'domain and contracts run in the browser, the service and the simulator alike: no renderer, DOM binding, transport or server',
      severity: 'error',
      from: { path: '^src/(domain|contracts)/' },
      to: { path: pkg(ENGINES) },
    },
    {
      name: 'shared-layers-use-no-node-builtin',
      comment: 'domain and contracts also run in the browser: no node: modules',
      severity: 'error',
      from: { path: '^src/(domain|contracts|view)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'node-side-uses-no-browser-engine',
      comment: 'the service and the simulator run in Node: no React, renderer or browser store',
      severity: 'error',
      from: { path: '^src/(server|simulator)/' },
      to: { path: pkg(BROWSER_ONLY) },
    },
    {
      name: 'src-never-imports-tests-or-scripts',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(tests|scripts)/' },
    },
    {
      name: 'every-import-resolves',
      comment: 'an import depcruise cannot resolve would escape every rule above',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};

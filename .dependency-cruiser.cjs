/**
 * The boundaries between Loopdeck's parts (docs/architecture.md), checked by
 * `npm run lint` with dependency-cruiser:
 * - src/shared is pure: no Node, no packages, nothing from the other folders;
 * - src/node (Node helpers the orchestrator and the engine share) imports src/shared and packages only;
 * - src/engine imports src/shared, src/node and packages only, never the orchestrator, the shell or the renderer;
 * - the orchestrator, the server, the CLI and the API dispatcher never import electron (they run headless);
 * - the renderer imports src/shared and browser packages only: no Node, no main, no engine.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-pure',
      comment: 'src/shared is imported by every side: it may import only itself and the pure libraries listed here, which run in Node and in the browser alike.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { pathNot: '^(src/shared/|node_modules/(shell-quote|valibot)/)' },
    },
    {
      name: 'node-helpers-stand-alone',
      comment: 'src/node holds Node-only helpers the orchestrator and the engine share (the atomic writer); it imports only src/shared and packages.',
      severity: 'error',
      from: { path: '^src/node/' },
      to: { path: '^src/(main|engine|renderer|preload)/' },
    },
    {
      name: 'engine-imports-only-shared',
      comment: 'The bundled engine speaks the protocol; it knows nothing of the orchestrator, the shell or the renderer (src/node, Node helpers, it may use).',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/(main|renderer|preload)/' },
    },
    {
      name: 'headless-never-imports-electron',
      comment: 'The orchestrator and the server run under plain Node on a training server.',
      severity: 'error',
      from: { path: '^src/main/(orchestrator|server|cli|api)/' },
      to: { path: '^electron$|node_modules/electron/' },
    },
    {
      name: 'renderer-has-no-node',
      comment: 'The renderer runs sandboxed: browser code only, the API through its one client.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-imports-only-shared',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { path: '^src/(main|engine|preload|node)/' },
    },
    {
      name: 'preload-is-narrow',
      comment: 'The preload bridge needs electron and the shared contract, nothing else of ours.',
      severity: 'error',
      from: { path: '^src/preload/' },
      to: { path: '^src/(main|engine|renderer|node)/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycle, not even of type-only imports: each module has one place in the layering (docs/architecture.md).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.node.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};

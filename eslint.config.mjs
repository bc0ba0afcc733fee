// `pnpm lint`: typescript-eslint's recommended rules over the sources of every package and driver,
// and the import direction of @weble/peers-core's layers (docs/architecture.md, "peers-core").
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

const core = 'packages/peers-core/src';

/**
 * The layers of peers-core, each a folder (the root files are the entry points, the Node composition
 * and what every layer shares), and what each may import besides itself. Lower layers never import
 * higher ones: codec < link < transports; link < mesh < federation < api < entry points.
 */
const layers = [
  { type: 'shared', pattern: [`${core}/errors.ts`, `${core}/logger.ts`], file: true, may: [] },
  { type: 'codec', pattern: `${core}/codec`, may: ['shared'] },
  { type: 'link', pattern: `${core}/link`, may: ['shared', 'codec'] },
  { type: 'transports', pattern: `${core}/transports`, may: ['shared', 'codec', 'link'] },
  { type: 'mesh', pattern: `${core}/mesh`, may: ['shared', 'codec', 'link'] },
  { type: 'federation', pattern: `${core}/federation`, may: ['shared', 'codec', 'link', 'mesh'] },
  { type: 'api', pattern: `${core}/api`, may: ['shared', 'codec', 'link', 'mesh', 'federation'] },
  {
    type: 'entry',
    pattern: [`${core}/index.ts`, `${core}/core.ts`, `${core}/create-peers.ts`, `${core}/testing.ts`],
    file: true,
    may: ['shared', 'codec', 'link', 'transports', 'mesh', 'federation', 'api'],
  },
];

/** Shared by every package: terse `a && b()` and `c ? d() : e()` statements are allowed; `_names` mark what is unused on purpose. */
const common = {
  '@typescript-eslint/no-unused-expressions': [2, { allowShortCircuit: true, allowTernary: true }],
  '@typescript-eslint/no-unused-vars': [2, { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.d.ts'] },
  {
    files: ['packages/*/src/**/*.ts', 'drivers/*/src/**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: common,
  },
  {
    files: [`${core}/**/*.ts`],
    extends: [tseslint.configs.recommended],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': layers.map(({ type, pattern, file }) => ({ type, pattern, ...(file ? { mode: 'file' } : {}) })),
      'boundaries/include': [`${core}/**/*.ts`],
      'import/resolver': { typescript: { project: 'packages/peers-core/tsconfig.json' } },
    },
    rules: {
      ...common,
      'boundaries/no-unknown-files': 2,
      'boundaries/no-unknown-dependencies': 2,
      'boundaries/dependencies': [
        2,
        {
          default: 'disallow',
          policies: layers.map(({ type, may }) => ({
            from: { element: { type } },
            allow: { to: { element: { types: { anyOf: [type, ...may] } } } },
          })),
        },
      ],
    },
  },
  {
    // Federation reaches the mesh through its one narrow port (mesh/site-port.ts) and shares the
    // handshake's framing; the Mesh class and its routers stay out of its reach.
    files: [`${core}/federation/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        2,
        {
          patterns: [
            {
              group: ['../mesh/*', '!../mesh/site-port.js', '!../mesh/handshake.js'],
              message: 'federation/ talks to the mesh through mesh/site-port.ts only (docs/architecture.md)',
            },
          ],
        },
      ],
    },
  },
);

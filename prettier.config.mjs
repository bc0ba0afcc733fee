// `pnpm format` (write) and `pnpm format:check` (CI, scripts/test.sh): the layout of every
// TypeScript, JavaScript, JSON and HTML file (.prettierignore says what is left out and why). The
// options are those the code already follows, so formatting changes the least: lines up to 120
// columns ("the formatter decides layout"), single quotes, semicolons, trailing commas wherever the
// language allows them, parentheses around every arrow parameter. package.json files use the plain
// JSON printer, which keeps a short object on one line as written (`"engines": { "node": ... }`)
// instead of spreading every object over lines as npm and pnpm print them. eslint.config.mjs ends
// with eslint-config-prettier, so no lint rule argues with this layout.

/** @type {import('prettier').Config} */
export default {
  printWidth: 120,
  singleQuote: true,
  semi: true,
  trailingComma: 'all',
  arrowParens: 'always',
  overrides: [{ files: ['package.json'], options: { parser: 'json' } }],
};

// `pnpm format` (write) and `pnpm format:check` (CI, scripts/test.sh): the layout of every
// TypeScript, JavaScript, JSON, YAML, HTML and CSS file (.prettierignore says what is left out and
// why). The options are those the code already follows, so formatting changes the least: lines up
// to 120 columns ("the formatter decides layout"), single quotes, semicolons, trailing commas
// wherever the language allows them, parentheses around every arrow parameter. eslint.config.mjs
// ends with eslint-config-prettier, so no lint rule argues with this layout.

/** @type {import('prettier').Config} */
export default {
  printWidth: 120,
  singleQuote: true,
  semi: true,
  trailingComma: 'all',
  arrowParens: 'always',
};

// Builds dist/connect.js: the peers client (@weble/peers-core/core, the WebSocket transport and
// shims for Buffer, process.nextTick and events) as ONE JavaScript expression whose value is
// `connect(data, callback)`, for `eval(data.connect)(data, callback)` in a browser or a CommonJS
// Node.js script. The `require` the bundle reads is the evaluating scope's, never bundled.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const GLOBAL = '__weblePeersClient';

/** node:events → the `events` package (browsers have no EventEmitter). */
const nodeEvents = {
  name: 'node-events',
  setup(b) {
    b.onResolve({ filter: /^(node:)?events$/ }, () => ({ path: require.resolve('events/') }));
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/bundle/entry.ts'],
  bundle: true,
  write: false,
  format: 'iife',
  globalName: GLOBAL,
  platform: 'browser',
  target: ['es2020', 'node20'],
  minify: true,
  legalComments: 'none',
  inject: ['src/bundle/shims/buffer.ts', 'src/bundle/shims/process.ts'],
  plugins: [nodeEvents],
  logLevel: 'warning',
});
const body = result.outputFiles[0].text.trim();
// An expression statement (the function call) is the completion value `eval` returns; `var`
// declarations stay inside the function, so nothing leaks into the evaluating scope.
const source = `(function(){${body}\nreturn ${GLOBAL}.connect})()\n`;
for (const banned of ['require("net")', 'require("tls")', 'require("ws")', 'pino']) {
  if (source.includes(banned)) throw new Error(`dist/connect.js contains ${banned}`);
}
const out = `${root}dist/connect.js`;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, source);
console.log(`dist/connect.js ${source.length} bytes (minified)`);

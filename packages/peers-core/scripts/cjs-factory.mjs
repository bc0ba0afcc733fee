// Make `require('@weble/peers-core')` return the factory itself (as the seed's `require('peers')`
// does): the tsup CJS bundle becomes dist/bundle.cjs and dist/index.cjs re-exports its default
// export with every named export attached to it. Types follow with an `export =` declaration.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
renameSync(new URL('index.cjs', dist), new URL('bundle.cjs', dist));
renameSync(new URL('index.cjs.map', dist), new URL('bundle.cjs.map', dist));
writeFileSync(
  new URL('bundle.cjs', dist),
  readFileSync(new URL('bundle.cjs', dist), 'utf8').replace(
    'sourceMappingURL=index.cjs.map',
    'sourceMappingURL=bundle.cjs.map',
  ),
);
writeFileSync(
  new URL('index.cjs', dist),
  `'use strict';
const bundle = require('./bundle.cjs');
module.exports = Object.assign(bundle.default, bundle);
`,
);
const named = readFileSync(new URL('index.d.cts', dist), 'utf8');
renameSync(new URL('index.d.cts', dist), new URL('bundle.d.cts', dist));
if (!named.includes('createPeers')) throw new Error('dist/index.d.cts does not declare createPeers');
// Every type the bundle exports (interfaces, type aliases, classes) is re-declared on the
// factory's namespace, so CommonJS TypeScript users get all of them: `peers.Backoff`, ...
const exportList = /export \{([^}]*)\};\s*$/.exec(named)?.[1] ?? '';
const declaredTypes = new Set([...named.matchAll(/(?:interface|type|class)\s+(\w+)/g)].map((m) => m[1]));
const typeNames = exportList
  .split(',')
  .map((entry) => entry.trim().replace(/^type\s+/, ''))
  .filter((name) => /^\w+$/.test(name) && declaredTypes.has(name));
if (!typeNames.includes('Peers')) throw new Error('could not find the exported types of dist/bundle.d.cts');
const generics = { Callback: '<T = unknown>' };
writeFileSync(
  new URL('index.d.cts', dist),
  `import * as bundle from './bundle.cjs';
declare const peers: typeof bundle.createPeers & typeof bundle;
declare namespace peers {
${typeNames.map((name) => `  export type ${name}${generics[name] ?? ''} = bundle.${name}${generics[name] ? '<T>' : ''};`).join('\n')}
}
export = peers;
`,
);

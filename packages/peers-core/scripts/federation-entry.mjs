// Write dist/federation.{js,cjs,d.ts,d.cts}: `@weble/peers-core/federation` re-exports the names of
// src/federation/index.ts from the main bundle, so a class reached through either path is the same
// class (one `HashRing`, one `FederationHandle` type) and the federation code is not bundled twice.
import { readFileSync, writeFileSync } from 'node:fs';

const source = readFileSync(new URL('../src/federation/index.ts', import.meta.url), 'utf8');
const values = [];
const types = [];
for (const [, typeOnly, list] of source.matchAll(/export (type )?\{([^}]*)\} from/g)) {
  for (const raw of list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)) {
    const name = raw.replace(/^type\s+/, '');
    (typeOnly || raw.startsWith('type ') ? types : values).push(name);
  }
}
if (!values.includes('federationModule') || !types.includes('FederateOptions')) {
  throw new Error('could not read the exports of src/federation/index.ts');
}
const dist = new URL('../dist/', import.meta.url);
const named = [...values, ...types.map((name) => `type ${name}`)].join(', ');
writeFileSync(new URL('federation.js', dist), `export { ${values.join(', ')} } from './index.js';\n`);
writeFileSync(new URL('federation.d.ts', dist), `export { ${named} } from './index.js';\n`);
writeFileSync(
  new URL('federation.cjs', dist),
  `'use strict';\nconst bundle = require('./bundle.cjs');\n${values.map((name) => `exports.${name} = bundle.${name};`).join('\n')}\n`,
);
writeFileSync(new URL('federation.d.cts', dist), `export { ${named} } from './bundle.cjs';\n`);

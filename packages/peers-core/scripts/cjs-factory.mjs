// Make `require('@weble/peers-core')` return the factory itself (as the seed's `require('peers')`
// does): the tsup CJS bundle becomes dist/bundle.cjs and dist/index.cjs re-exports its default
// export with every named export attached to it. Types follow with an `export =` declaration.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
renameSync(new URL('index.cjs', dist), new URL('bundle.cjs', dist));
renameSync(new URL('index.cjs.map', dist), new URL('bundle.cjs.map', dist));
writeFileSync(
  new URL('bundle.cjs', dist),
  readFileSync(new URL('bundle.cjs', dist), 'utf8').replace('sourceMappingURL=index.cjs.map', 'sourceMappingURL=bundle.cjs.map'),
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
writeFileSync(
  new URL('index.d.cts', dist),
  `import * as bundle from './bundle.cjs';
declare const peers: typeof bundle.createPeers & typeof bundle;
declare namespace peers {
  export type Peers = bundle.Peers;
  export type PeersOptions = bundle.PeersOptions;
  export type ConnectOptions = bundle.ConnectOptions;
  export type RemotePeer = bundle.RemotePeer;
  export type ModuleProxy = bundle.ModuleProxy;
  export type RemoteMethod = bundle.RemoteMethod;
  export type Callback<T = unknown> = bundle.Callback<T>;
  export type ShareFilter = bundle.ShareFilter;
  export type Authenticate = bundle.Authenticate;
  export type Hello = bundle.Hello;
  export type Listener = bundle.Listener;
  export type ErrorCode = bundle.ErrorCode;
  export type PeersError = bundle.PeersError;
}
export = peers;
`,
);

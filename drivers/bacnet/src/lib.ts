/**
 * `@bacnet-js/client` whatever loads it. It is CommonJS with a `default` export: Node's ESM loader
 * gives `module.exports` as the default import (enums and `default`, the client class), while
 * bundlers and vitest give the class itself and the enums as named exports. This picks the object
 * that has both.
 */
import * as namespace from '@bacnet-js/client';
import type library from '@bacnet-js/client';

type Library = typeof library;

const candidate = (namespace as unknown as { default?: unknown }).default;
const bacnet = (
  typeof candidate === 'object' && candidate !== null && 'ObjectType' in candidate ? candidate : namespace
) as Library;

export default bacnet;

// Writes src/enums.ts: the BACnet enumerations the schemas and names need, copied from
// @bacnet-js/client, so `@weble/driver-bacnet/schema` validates without loading the BACnet stack.
// Run after upgrading @bacnet-js/client: `node scripts/write-enums.mjs` (test/enums.test.ts fails until then).
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

export const ENUMS = [
  'ObjectType',
  'PropertyIdentifier',
  'ErrorClass',
  'ErrorCode',
  'AbortReason',
  'RejectReason',
  'Segmentation',
  'ApplicationTag',
  'StatusFlags',
];

/** `{ NAME: number }` of one TypeScript enum object (without its reverse mapping). */
export function plain(enumObject) {
  return Object.fromEntries(Object.entries(enumObject).filter(([, value]) => typeof value === 'number'));
}

/** The library's enums object (its CJS export or its `default`). */
export function library() {
  const loaded = createRequire(import.meta.url)('@bacnet-js/client');
  return loaded.default?.ObjectType ? loaded.default : loaded;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const lib = library();
  const lines = [
    '/**',
    ' * BACnet enumerations (name -> number), generated from @bacnet-js/client by',
    ' * scripts/write-enums.mjs: the schemas and names use these, so validating a site never loads',
    " * the BACnet stack. test/enums.test.ts checks they still equal the library's.",
    ' */',
    '/* eslint-disable */',
    ...ENUMS.map((name) => `export const ${name} = ${JSON.stringify(plain(lib[name]))} as const;`),
    '',
  ];
  writeFileSync(new URL('../src/enums.ts', import.meta.url), lines.join('\n'));
}

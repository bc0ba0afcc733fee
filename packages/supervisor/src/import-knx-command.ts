/**
 * `weble-supervisor import-knx <export> --config site.yaml --gateway <id>`: the group addresses
 * of an ETS export (CSV or XML) become addresses of a KNX gateway in site.yaml. The file keeps
 * its comments and layout (the `yaml` document is edited, not rewritten); the result is validated
 * like `validate` before anything is written; the old file is kept beside it
 * (`site.yaml.<time>.bak`) and the new one replaces it atomically (write, then rename).
 */
import { copyFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EtsImport } from '@weble/driver-knx';
import { isMap, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import { loadSiteConfig } from './config/index.js';
import { locateDriver, placesTried, resolutionBase } from './config/driver-resolution.js';
import { CONFIG_OPTION, configArgument, err, out, UsageError, type Command } from './cli-common.js';

/** The command's usage text. */
export const IMPORT_KNX_USAGE = `Usage: weble-supervisor import-knx <export.csv|export.xml> --config <site.yaml> --gateway <id> [--replace] [--dry-run]

Add the group addresses of an ETS group-address export (CSV or XML, as ETS writes them) to
site.yaml as addresses of a KNX gateway: key = the group address ("4/7/25"), name = the ETS
name, point = { dpt }. Addresses whose key exists are kept (--replace: overwritten); addresses
without a datapoint type in the export are listed and left out. The result is validated first;
the old site.yaml is kept as site.yaml.<time>.bak.

  -c, --config <file>   the site.yaml to change
  -g, --gateway <id>    the id of a gateway of type knx in it
      --replace         overwrite addresses whose key already exists
      --dry-run         print what would change, write nothing`;

/** Arguments of the command. */
export interface ImportKnxArgs {
  exportFile: string;
  config: string;
  gateway: string;
  replace: boolean;
  dryRun: boolean;
}

/** Text of an export: UTF-8, or Windows-1252/Latin-1 as older ETS versions write it. */
function decodeExport(bytes: Buffer): string {
  const utf8 = bytes.toString('utf8');
  return utf8.includes('\uFFFD') ? bytes.toString('latin1') : utf8;
}

/** The gateway entry of `id` in the document, or a message saying why not. */
function findGateway(document: Document, id: string): { node: YAMLMap; id: string | number } | string {
  const gateways = document.get('gateways');
  if (!isSeq(gateways)) return 'site.yaml has no gateways';
  for (const item of gateways.items) {
    if (!isMap(item) || String(item.get('id')) !== id) continue;
    const type = item.get('type');
    if (type !== 'knx') return `gateway ${id} is of type ${JSON.stringify(type)}, not knx`;
    return { node: item, id: item.get('id') as string | number };
  }
  return `no gateway with id ${JSON.stringify(id)} in site.yaml`;
}

/** Add `imported` to the document; returns what was added, replaced and kept. */
function merge(
  document: Document,
  imported: EtsImport,
  replace: boolean,
): { added: number; replaced: number; kept: string[] } {
  let addresses = document.get('addresses');
  if (!isSeq(addresses)) {
    document.set('addresses', document.createNode([]));
    addresses = document.get('addresses');
  }
  if (!isSeq(addresses)) throw new Error('addresses is not a list');
  const at = new Map<string, number>();
  addresses.items.forEach((item, index) => {
    if (isMap(item)) at.set(String(item.get('key')), index);
  });
  const result = { added: 0, replaced: 0, kept: [] as string[] };
  for (const address of imported.addresses) {
    const node = document.createNode(address);
    node.flow = true;
    const index = at.get(address.key);
    if (index === undefined) {
      addresses.items.push(node);
      result.added++;
    } else if (replace) {
      addresses.items[index] = node;
      result.replaced++;
    } else result.kept.push(address.key);
  }
  return result;
}

/** The main module of the KNX driver package as a gateway of type `knx` would find it, or why not. */
async function loadKnxDriver(siteDir: string): Promise<typeof import('@weble/driver-knx') | string> {
  const bases = [
    resolutionBase(siteDir, 'the site directory'),
    resolutionBase(dirname(fileURLToPath(import.meta.url)), 'the supervisor'),
  ];
  const found = locateDriver(bases, 'knx');
  if (!found)
    return `no KNX driver package found (npm install @weble/driver-knx next to site.yaml); tried ${placesTried(bases, 'knx').join('; then ')}`;
  return (await import(
    pathToFileURL(found.base.require.resolve(found.name)).href
  )) as typeof import('@weble/driver-knx');
}

/** Run the command; `out` and `err` print lines. Exit codes as the CLI's. */
export async function importKnx(
  args: ImportKnxArgs,
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  const file = resolve(args.config);
  // Loaded here, not with the CLI: `start` and the other commands need no KNX library. The KNX
  // driver is found like a gateway's: from the site's directory first, then from the supervisor.
  const knx = await loadKnxDriver(dirname(file));
  if (typeof knx === 'string') {
    err(`weble-supervisor import-knx: ${knx}`);
    return 1;
  }
  const { importEts, isKnxError } = knx;
  let imported: EtsImport;
  let source: string;
  try {
    source = await readFile(file, 'utf8');
    imported = importEts(decodeExport(await readFile(args.exportFile)), args.gateway);
  } catch (error) {
    err(`weble-supervisor import-knx: ${isKnxError(error) ? `${args.exportFile}: ` : ''}${(error as Error).message}`);
    return 1;
  }
  const document = parseDocument(source);
  if (document.errors.length > 0) {
    err(`weble-supervisor import-knx: ${file}: YAML syntax: ${document.errors[0]!.message.split('\n')[0]}`);
    return 2;
  }
  const gateway = findGateway(document, args.gateway);
  if (typeof gateway === 'string') {
    err(`weble-supervisor import-knx: ${gateway}`);
    return 1;
  }
  // The gateway id as site.yaml writes it (1, not "1").
  const withId: EtsImport = {
    ...imported,
    addresses: imported.addresses.map((address) => ({ ...address, gateway: gateway.id })),
  };
  const change = merge(document, withId, args.replace);
  const text = document.toString();
  const candidate = `${file}.import-${process.pid}.tmp`;
  await writeFile(candidate, text, { mode: 0o600 });
  const checked = await loadSiteConfig(candidate);
  if (!checked.ok) {
    await rm(candidate, { force: true });
    const problems = `${checked.problems.length} problem${checked.problems.length === 1 ? '' : 's'}`;
    err(`weble-supervisor import-knx: site.yaml would be invalid, nothing written (${problems}):`);
    for (const problem of checked.problems) err(`  ${problem}`);
    return 2;
  }
  const counts = `${change.added} address(es) added, ${change.replaced} replaced, ${change.kept.length} kept as they were, ${imported.skipped.length} skipped`;
  const summary = [`${args.exportFile} (ETS ${imported.format.toUpperCase()}): ${counts}`];
  if (change.kept.length > 0) summary.push(`  kept (use --replace to overwrite): ${change.kept.join(', ')}`);
  for (const skip of imported.skipped)
    summary.push(`  skipped ${skip.address} "${skip.name}" (line ${skip.line}): ${skip.reason}`);
  if (args.dryRun) {
    await rm(candidate, { force: true });
    out([...summary, '(dry run: nothing written)'].join('\n'));
    return 0;
  }
  const backup = `${file}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
  await copyFile(file, backup);
  await rename(candidate, file);
  out([...summary, `written to ${file} (previous version: ${backup})`].join('\n'));
  return 0;
}

/** `weble-supervisor import-knx` (loaded by the CLI when it runs). */
export const importKnxCli: Command = {
  usage: IMPORT_KNX_USAGE,
  options: {
    ...CONFIG_OPTION,
    gateway: { type: 'string', short: 'g' },
    replace: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  positionals: [1, 1],
  run: (values, [exportFile]) => {
    if (typeof values.gateway !== 'string' || values.gateway === '') throw new UsageError('--gateway <id> is required');
    const args = {
      exportFile: exportFile!,
      config: configArgument(values),
      gateway: values.gateway,
      replace: values.replace === true,
      dryRun: values['dry-run'] === true,
    };
    return importKnx(args, out, err);
  },
};

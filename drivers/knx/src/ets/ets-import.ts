/**
 * An ETS group-address export (CSV or XML, told apart by its first character) as site.yaml
 * addresses of one KNX gateway: the key is the group address (so seed code addresses it as
 * `4/7/25`), the name is the ETS name (qualified with its group ranges where two share a name),
 * the point's datapoint type comes from the export. Entries without a usable datapoint type or
 * address are listed as skipped, with the reason. Pure.
 */
import { formatDpt, isSupportedDpt, tryParseDpt } from '../dpt/dpt-id.js';
import { KnxCode, KnxError } from '../errors.js';
import { formatGroupAddress, tryParseGroupAddress } from '../group-address.js';
import { parseEtsCsv } from './ets-csv.js';
import type { EtsGroupAddress } from './ets-types.js';
import { parseEtsXml } from './ets-xml.js';

/** An address for site.yaml. */
export interface ImportedAddress {
  key: string;
  gateway: string | number;
  name?: string;
  unit?: string;
  point: { dpt: string };
}

/** What an import gives. */
export interface EtsImport {
  readonly format: 'csv' | 'xml';
  readonly addresses: ImportedAddress[];
  readonly skipped: Array<{ address: string; name: string; line: number; reason: string }>;
}

/** Units of common datapoint types, for `addresses[].unit`. */
const UNITS: Readonly<Record<string, string>> = {
  '5.001': '%',
  '5.003': '°',
  '9.001': '°C',
  '9.002': 'K',
  '9.004': 'lx',
  '9.005': 'm/s',
  '9.006': 'Pa',
  '9.007': '%',
  '9.008': 'ppm',
  '9.024': 'kW',
  '12.1200': 'l',
  '13.010': 'Wh',
  '13.013': 'kWh',
  '14.019': 'A',
  '14.027': 'V',
  '14.056': 'W',
};

/** Entries of an export; XML when it starts with `<` (after a byte-order mark and blanks), else CSV. */
export function parseEtsExport(text: string): { format: 'csv' | 'xml'; entries: EtsGroupAddress[] } {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new KnxError(KnxCode.BAD_ETS_EXPORT, 'ETS export: the file is empty');
  return body.trimStart().startsWith('<')
    ? { format: 'xml', entries: parseEtsXml(body) }
    : { format: 'csv', entries: parseEtsCsv(body) };
}

/** The export `text` as addresses of `gateway`. */
export function importEts(text: string, gateway: string | number): EtsImport {
  const { format, entries } = parseEtsExport(text);
  const skipped: EtsImport['skipped'] = [];
  const usable: Array<{ entry: EtsGroupAddress; key: string; dpt: string }> = [];
  const keys = new Set<string>();
  for (const entry of entries) {
    const skip = (reason: string): void =>
      void skipped.push({ address: entry.address, name: entry.name, line: entry.line, reason });
    const raw = tryParseGroupAddress(entry.address);
    if (raw === undefined) {
      skip('not a group address');
      continue;
    }
    const dpt = entry.dpt === undefined ? undefined : tryParseDpt(entry.dpt);
    if (!dpt) {
      skip(
        entry.dpt === undefined
          ? 'no datapoint type in the export (set it in ETS, or add the address by hand)'
          : `datapoint type "${entry.dpt}" not understood`,
      );
      continue;
    }
    if (!isSupportedDpt(dpt)) {
      skip(`datapoint type ${formatDpt(dpt)} is not supported by the driver`);
      continue;
    }
    const key = formatGroupAddress(raw);
    if (keys.has(key)) {
      skip(`group address ${key} is listed twice`);
      continue;
    }
    keys.add(key);
    usable.push({ entry, key, dpt: formatDpt(dpt) });
  }
  const names = uniqueNames(usable.map(({ entry, key }) => ({ entry, key })));
  const addresses = usable.map(({ key, dpt }): ImportedAddress => {
    const name = names.get(key);
    const unit = UNITS[dpt];
    return { key, gateway, ...(name ? { name } : {}), ...(unit ? { unit } : {}), point: { dpt } };
  });
  return { format, addresses, skipped };
}

/**
 * A name per key: the ETS name where it is unique, else the name with its ranges
 * (`Ground floor / Kitchen / Switch`), else that with the group address.
 */
function uniqueNames(items: Array<{ entry: EtsGroupAddress; key: string }>): Map<string, string> {
  const count = (list: string[]): Map<string, number> =>
    list.reduce((map, n) => map.set(n, (map.get(n) ?? 0) + 1), new Map<string, number>());
  const plain = count(items.map(({ entry }) => entry.name));
  const qualified = (entry: EtsGroupAddress): string => [...entry.path, entry.name].join(' / ');
  const full = count(items.map(({ entry }) => qualified(entry)));
  const names = new Map<string, string>();
  for (const { entry, key } of items) {
    if (entry.name === '') continue;
    if (plain.get(entry.name) === 1) names.set(key, entry.name);
    else if (full.get(qualified(entry)) === 1) names.set(key, qualified(entry));
    else names.set(key, `${qualified(entry)} (${key})`);
  }
  return names;
}

/**
 * The group-address CSV that ETS 5/6 exports ("Export group addresses", CSV): the "1/1" layout
 * (`"Group name";"Address";...;"DatapointType"`) and the "3/1" layout (`"Main";"Middle";"Sub";
 * "Address";...`, where range rows have addresses like `1/-/-`), separated by `;`, `,` or tab,
 * fields quoted with `"` (doubled inside). Pure: text in, entries out; a row that cannot be read
 * is `KNX_BAD_ETS_EXPORT` with its line.
 */
import { KnxCode, KnxError } from '../errors.js';
import type { EtsGroupAddress } from './ets-types.js';

/** Split CSV text into rows of fields (RFC 4180 quoting), with the line each row starts on. */
export function splitCsv(text: string, separator: string): Array<{ line: number; fields: string[] }> {
  const rows: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && field === '') quoted = true;
    else if (char === separator) {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.some((f) => f !== '')) rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      line++;
      rowLine = line;
    } else field += char;
  }
  if (quoted) throw new KnxError(KnxCode.BAD_ETS_EXPORT, `ETS CSV line ${rowLine}: a quoted field is not closed`);
  fields.push(field);
  if (fields.some((f) => f !== '')) rows.push({ line: rowLine, fields });
  return rows;
}

/** The separator of the header line: the one of `;`, tab and `,` it has most of. */
function separatorOf(header: string): string {
  const counts = [';', '\t', ','].map((sep) => [sep, header.split(sep).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]![0];
}

const norm = (text: string): string => text.trim().toLowerCase().replace(/\s+/g, ' ');

/** Entries of an ETS group-address CSV export. */
export function parseEtsCsv(text: string): EtsGroupAddress[] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const rows = splitCsv(text, separatorOf(firstLine));
  const header = rows.shift();
  if (!header) throw new KnxError(KnxCode.BAD_ETS_EXPORT, 'ETS CSV: the file is empty');
  const columns = header.fields.map(norm);
  const at = (name: string): number => columns.indexOf(name);
  const address = at('address');
  if (address === -1) {
    throw new KnxError(
      KnxCode.BAD_ETS_EXPORT,
      `ETS CSV line ${header.line}: no "Address" column (found ${header.fields.map((f) => JSON.stringify(f)).join(', ')}); export with a header row`,
    );
  }
  const [groupName, main, middle, sub] = [at('group name'), at('main'), at('middle'), at('sub')];
  const [dptColumn, description] = [
    at('datapointtype') === -1 ? at('datapoint type') : at('datapointtype'),
    at('description'),
  ];
  if (groupName === -1 && sub === -1)
    throw new KnxError(
      KnxCode.BAD_ETS_EXPORT,
      `ETS CSV line ${header.line}: no "Group name" nor "Main"/"Middle"/"Sub" columns`,
    );
  const entries: EtsGroupAddress[] = [];
  const ranges: string[] = [];
  for (const row of rows) {
    const field = (index: number): string => (index === -1 ? '' : (row.fields[index] ?? '').trim());
    const ga = field(address);
    if (ga === '') throw new KnxError(KnxCode.BAD_ETS_EXPORT, `ETS CSV line ${row.line}: no address`);
    // "3/1" layout: `1/-/-` names a main range, `1/0/-` a middle range.
    if (/^\d+\/-\/-$/.test(ga)) {
      ranges.splice(0, ranges.length, field(main));
      continue;
    }
    if (/^\d+\/\d+\/-$/.test(ga)) {
      ranges.splice(1, ranges.length, field(middle));
      continue;
    }
    const name = groupName !== -1 ? field(groupName) : field(sub);
    const dpt = field(dptColumn);
    entries.push({
      address: ga,
      name,
      path: groupName !== -1 ? [] : ranges.filter((r) => r !== ''),
      ...(dpt === '' ? {} : { dpt }),
      ...(field(description) === '' ? {} : { description: field(description) }),
      line: row.line,
    });
  }
  return entries;
}

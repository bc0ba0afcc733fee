/**
 * The group-address XML that ETS 5/6 exports (`<GroupAddress-Export xmlns="http://knx.org/xml/
 * ga-export/01">` with nested `<GroupRange Name=...>` and `<GroupAddress Name Address DPTs
 * Description/>`). A small scanner of tags and attributes is all that format needs; comments,
 * the declaration and text are skipped. Pure; a file that is not this format is `KNX_BAD_ETS_EXPORT`.
 */
import { KnxCode, KnxError } from '../errors.js';
import type { EtsGroupAddress } from './ets-types.js';

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** `&amp;`, `&#228;`, `&#xE4;` -> the character. */
export function decodeEntities(text: string, line: number): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    const value = ENTITIES[name];
    if (value === undefined)
      throw new KnxError(KnxCode.BAD_ETS_EXPORT, `ETS XML line ${line}: unknown entity ${whole}`);
    return value;
  });
}

const TAG =
  /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<!DOCTYPE[^>]*>/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Entries of an ETS group-address XML export. */
export function parseEtsXml(text: string): EtsGroupAddress[] {
  const entries: EtsGroupAddress[] = [];
  const ranges: string[] = [];
  let root = false;
  let last = 0;
  let line = 1;
  const lineAt = (index: number): number => {
    for (; last < index; last++) if (text.charCodeAt(last) === 10) line++;
    return line;
  };
  for (const match of text.matchAll(TAG)) {
    const [, closing, name, attributeText, selfClosing] = match;
    const at = lineAt(match.index);
    if (name === undefined) continue; // comment, declaration, CDATA, doctype
    const attributes = new Map<string, string>();
    for (const attribute of (attributeText ?? '').matchAll(ATTRIBUTE))
      attributes.set(attribute[1]!, decodeEntities(attribute[2] ?? attribute[3] ?? '', at));
    if (name === 'GroupAddress-Export') {
      root = closing === '' ? true : root;
      continue;
    }
    if (!root)
      throw new KnxError(
        KnxCode.BAD_ETS_EXPORT,
        `ETS XML line ${at}: <${name}> before <GroupAddress-Export>; not an ETS group-address export`,
      );
    if (name === 'GroupRange') {
      if (closing) ranges.pop();
      else if (!selfClosing) ranges.push(attributes.get('Name') ?? '');
    } else if (name === 'GroupAddress' && !closing) {
      const address = attributes.get('Address');
      if (address === undefined)
        throw new KnxError(KnxCode.BAD_ETS_EXPORT, `ETS XML line ${at}: <GroupAddress> without an Address attribute`);
      const dpts = attributes
        .get('DPTs')
        ?.split(/[,\s]+/)
        .filter((d) => d !== '');
      const description = attributes.get('Description');
      entries.push({
        address,
        name: attributes.get('Name') ?? '',
        path: ranges.filter((r) => r !== ''),
        ...(dpts?.[0] === undefined ? {} : { dpt: dpts[0] }),
        ...(description ? { description } : {}),
        line: at,
      });
    }
  }
  if (!root)
    throw new KnxError(
      KnxCode.BAD_ETS_EXPORT,
      'ETS XML: no <GroupAddress-Export> element; not an ETS group-address export',
    );
  return entries;
}

/**
 * Runtime changes written back to site.yaml with the `yaml` Document API, so comments, order and
 * formatting of everything else stay as written. One change at a time (a queue shared with SIGHUP
 * reloads, so a reload racing a change loses neither); each write keeps the previous text as a
 * version and replaces the file atomically (see site-versions.ts).
 */
import { readFile } from 'node:fs/promises';
import { isMap, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import { saveVersion, writeAtomic } from './site-versions.js';

/** The sections of site.yaml whose entries change at run time, and the field that identifies an entry. */
export const SITE_LISTS = { gateways: 'id', addresses: 'key', loggers: 'name', alarms: 'id' } as const;
/** One of {@link SITE_LISTS}. */
export type SiteList = keyof typeof SITE_LISTS;

/** An entry as written (plain data; undefined fields are left out). */
export type SiteEntry = Record<string, unknown>;

const sameId = (a: unknown, b: unknown): boolean => a !== undefined && b !== undefined && String(a) === String(b);

function clean(entry: SiteEntry): SiteEntry {
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
}

/** Insert, replace (`entry` given) or remove (`entry` undefined) the entry `id` of `list` in `doc`. */
export function putEntry(doc: Document, list: SiteList, id: unknown, entry: SiteEntry | undefined): void {
  const field = SITE_LISTS[list];
  let seq = doc.get(list, true);
  if (!isSeq(seq)) {
    if (entry === undefined) return;
    doc.set(list, doc.createNode([]));
    seq = doc.get(list, true);
  }
  if (!isSeq(seq)) return;
  const index = seq.items.findIndex((item) => isMap(item) && sameId((item as YAMLMap).get(field), id));
  if (entry === undefined) {
    if (index >= 0) seq.items.splice(index, 1);
    return;
  }
  const value = clean(entry);
  const existing = index >= 0 ? (seq.items[index] as YAMLMap) : undefined;
  if (!existing) {
    seq.items.push(doc.createNode(value));
    return;
  }
  // Field by field, so comments on the entry and on fields that stay are kept.
  for (const pair of [...existing.items]) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    if (!(key in value)) existing.delete(key);
  }
  for (const [key, v] of Object.entries(value)) {
    const current = existing.get(key);
    if (
      current !== undefined &&
      JSON.stringify((existing.get(key, true) as { toJSON?: () => unknown })?.toJSON?.() ?? current) ===
        JSON.stringify(v)
    )
      continue;
    existing.set(key, doc.createNode(v));
  }
}

/** Remove every entry of `list` whose `field` equals `value` (the addresses of a deleted gateway). */
export function removeWhere(doc: Document, list: SiteList, field: string, value: unknown): void {
  const seq = doc.get(list, true);
  if (!isSeq(seq)) return;
  seq.items = seq.items.filter((item) => !(isMap(item) && sameId((item as YAMLMap).get(field), value)));
}

/** The writer of one site.yaml. */
export class SiteFile {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  /** Run `task` alone: no change and no reload runs at the same time. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Apply `change` to the document of site.yaml and write it back (version kept, atomic). */
  change(change: (doc: Document) => void): Promise<void> {
    return this.exclusive(async () => {
      const text = await readFile(this.path, 'utf8');
      const doc = parseDocument(text);
      if (doc.errors.length > 0)
        throw new Error(`${this.path} has YAML errors; not changed: ${doc.errors[0]!.message}`);
      change(doc);
      const next = doc.toString();
      if (next === text) return;
      saveVersion(this.path);
      writeAtomic(this.path, next);
    });
  }
}

/**
 * Code samples of a seed page, cut out verbatim. A sample is named by its first and last line
 * as printed; the page is a text dump in which a heading can be glued to the front of a sample's
 * first line ("requirepeer('supervision')..." is the heading "require" then the code), so the first
 * line may be the end of a page line. The sample ends at the first line equal to `last` where the
 * brackets opened since the first line are all closed.
 */
import { readFileSync } from 'node:fs';

export interface SampleSpec {
  first: string;
  last: string;
  /** When `first` is on the page more than once: the sample is the first one after this page line. */
  after?: string;
}

export interface Sample {
  code: string;
  /** 1-based page line of the sample's first line. */
  line: number;
  lines: number;
}

/** Count of open brackets in JavaScript text, ignoring strings and // comments. */
function openBrackets(text: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
  }
  return depth;
}

/** Read a seed page. */
export function readPage(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n');
}

/** Cut a sample out of the page; throws (failing the test) when it is not there exactly once. */
export function extractSample(page: string[], spec: SampleSpec): Sample {
  let from = 0;
  if (spec.after !== undefined) {
    const anchors = page.flatMap((text, index) => (text.startsWith(spec.after!) ? [index] : []));
    if (anchors.length !== 1)
      throw new Error(
        `anchor line ${JSON.stringify(spec.after)} found ${anchors.length} times on the page, expected once`,
      );
    from = anchors[0]! + 1;
  }
  const starts = page.flatMap((text, index) => (index >= from && text.endsWith(spec.first) ? [index] : []));
  if (starts.length === 0 || (spec.after === undefined && starts.length > 1)) {
    throw new Error(
      `sample first line ${JSON.stringify(spec.first)} found ${starts.length} times on the page, expected once`,
    );
  }
  const start = starts[0]!;
  const lines = [spec.first];
  for (let i = start; i < page.length; i++) {
    if (i > start) lines.push(page[i]!);
    if (
      page[i]!.endsWith(spec.last) &&
      (i > start ? page[i] === spec.last : true) &&
      openBrackets(lines.join('\n')) === 0
    ) {
      return { code: lines.join('\n'), line: start + 1, lines: lines.length };
    }
  }
  throw new Error(
    `sample starting ${JSON.stringify(spec.first)} (page line ${start + 1}) has no closing line ${JSON.stringify(spec.last)}`,
  );
}

const PLACEHOLDER = '{ ... }';

/**
 * The page writes `{ ... }` for "your code here" in a few samples; that is not valid JavaScript,
 * so each one becomes a call reporting its arguments (`__placeholder(id, arguments)`). Nothing
 * else changes, and the caller can check that by comparing with the original.
 */
export function fillPlaceholders(code: string, id: string): { code: string; count: number } {
  let count = 0;
  const filled = code
    .split(PLACEHOLDER)
    .reduce((acc, part) => `${acc}{ __placeholder(${JSON.stringify(`${id}#${++count}`)}, arguments) }${part}`);
  return { code: filled, count: count };
}

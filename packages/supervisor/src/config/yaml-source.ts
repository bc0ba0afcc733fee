/**
 * site.yaml as text: parsed with the `yaml` package (YAML 1.2, duplicate keys are errors, `<<`
 * merge keys allowed), syntax errors reported with their line and column, and the line of any
 * path in the document so that schema problems can say where they are.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ProblemPath } from './problems.js';

/** A line and column, 1-based. */
export interface Position {
  line: number;
  column: number;
}

/** A YAML syntax error. */
export interface SyntaxProblem extends Position {
  message: string;
}

/** A parsed site.yaml: its data, and where a path of it was written. */
export interface YamlSource {
  data: unknown;
  /** Where `path` is written: the key of its last existing part (the nearest parent for a missing key). */
  locate(path: ProblemPath): Position | undefined;
}

/** `Map keys must be unique at line 4, column 1:\n\n...` -> `Map keys must be unique`. */
function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function locator(document: Document, lines: LineCounter): YamlSource['locate'] {
  const at = (offset: number | undefined): Position | undefined => {
    if (offset === undefined) return undefined;
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  return (path) => {
    let node: unknown = document.contents;
    let position = at((node as Node | null)?.range?.[0]);
    for (const key of path) {
      if (isAlias(node)) node = node.resolve(document);
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
        if (!pair) break;
        position = at((pair.key as Node).range?.[0]) ?? position;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        if (node === undefined) break;
        position = at((node as Node).range?.[0]) ?? position;
      } else break;
    }
    return position;
  };
}

/** Parse site.yaml text: its data and a locator, or every syntax error. */
export function parseYaml(text: string): { ok: true; source: YamlSource } | { ok: false; errors: SyntaxProblem[] } {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: true });
  if (document.errors.length > 0) {
    const errors = document.errors.map((error) => {
      const position = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
      return { line: position.line, column: position.col, message: firstLine(error.message) };
    });
    return { ok: false, errors };
  }
  return {
    ok: true,
    source: { data: document.toJS({ maxAliasCount: 1000 }) as unknown, locate: locator(document, lines) },
  };
}

/** User-provided regular expressions: checked, their named groups listed. Pure. */

/** Why `source` is not a valid regular expression (with `flags`), or undefined when it is. */
export function regexProblem(source: string, flags = ''): string | undefined {
  try {
    new RegExp(source, flags);
    return undefined;
  } catch (error) {
    return `invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
}

/** The named groups of a valid `source`, in order. */
export function regexGroups(source: string): string[] {
  // An empty alternative always matches "", and `groups` then lists every name (undefined values).
  const groups = new RegExp(`(?:${source})|`).exec('')?.groups;
  return groups ? Object.keys(groups) : [];
}

/** The header name a spec name refers to: exact, else the one that matches ignoring case and spaces. */
export function matchColumn(name: string, columns: readonly string[]): string | undefined {
  if (columns.includes(name)) return name;
  const norm = (s: string) => s.trim().toLowerCase();
  const matches = columns.filter((c) => norm(c) === norm(name));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The 1-based positions of the header columns a spec name could mean, when it could mean more
 * than one: a repeated header name (`sessions` twice), else several that match ignoring case
 * and spaces. Undefined when the name means one column or none.
 */
export function ambiguousColumn(name: string, columns: readonly string[]): number[] | undefined {
  const positions = (match: (c: string) => boolean) => columns.flatMap((c, i) => (match(c) ? [i + 1] : []));
  const exact = positions((c) => c === name);
  if (exact.length > 1) return exact;
  if (exact.length === 1) return undefined;
  const norm = (s: string) => s.trim().toLowerCase();
  const loose = positions((c) => norm(c) === norm(name));
  return loose.length > 1 ? loose : undefined;
}

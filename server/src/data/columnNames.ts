/** The header name a spec name refers to: exact, else the one that matches ignoring case and spaces. */
export function matchColumn(name: string, columns: readonly string[]): string | undefined {
  if (columns.includes(name)) return name;
  const norm = (s: string) => s.trim().toLowerCase();
  const matches = columns.filter((c) => norm(c) === norm(name));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * A JSON.stringify replacer step for models: a span as [offset, length]. A node of the YAML tree
 * is its own span (server/src/language/yaml/tree.ts), so written whole it would carry its value
 * and children; where it lies is what a span says.
 */
export function asSpan(key: string, v: unknown): [number, number] | undefined {
  if (!/span$/i.test(key) || typeof v !== 'object' || v === null) return undefined;
  const s = v as { offset?: unknown; length?: unknown };
  return typeof s.offset === 'number' && typeof s.length === 'number' ? [s.offset, s.length] : undefined;
}

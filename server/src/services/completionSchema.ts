import schemaJson from '../../../schemas/kpispec.schema.json';

/**
 * Reading schemas/kpispec.schema.json by YAML path: which keys a mapping takes, what a value may
 * be, and each property's title and description. Key completion and key hover both read it, so
 * the schema stays the one place where the keys are documented.
 */

export interface SchemaNode {
  title?: string;
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  $ref?: string;
}

const ROOT = schemaJson as unknown as SchemaNode & { $defs: Record<string, SchemaNode> };

/** Follows `$ref` (keeping the referring node's own title and description, which are more specific). */
function deref(node: SchemaNode): SchemaNode {
  let n = node;
  for (let guard = 0; n.$ref && guard < 10; guard++) {
    const name = n.$ref.replace(/^#\/\$defs\//, '');
    const target = ROOT.$defs[name];
    if (!target) break;
    const { $ref: _, ...own } = n;
    n = { ...target, ...own, $ref: target.$ref };
    if (!target.$ref) delete n.$ref;
  }
  return n;
}

/** The node and its union branches, each dereferenced. */
function alternatives(node: SchemaNode): SchemaNode[] {
  const n = deref(node);
  const branches = n.anyOf ?? n.oneOf;
  if (!branches) return [n];
  return [n, ...branches.flatMap(alternatives)];
}

/** Every schema node a value at `path` may match (union branches flattened). */
export function schemaAt(path: readonly (string | number)[]): SchemaNode[] {
  let nodes: SchemaNode[] = alternatives(ROOT);
  for (const seg of path) {
    const next: SchemaNode[] = [];
    for (const n of nodes) {
      if (typeof seg === 'number') {
        if (n.items) next.push(...alternatives(n.items));
        continue;
      }
      const prop = n.properties?.[seg];
      if (prop) next.push(...alternatives(prop));
      else if (n.additionalProperties && typeof n.additionalProperties === 'object') next.push(...alternatives(n.additionalProperties));
    }
    nodes = next;
    if (!nodes.length) break;
  }
  return nodes;
}

/** The property `key` of a mapping at `mapPath`, as documented in the schema (title, description, allowed values). */
export function propertyAt(mapPath: readonly (string | number)[], key: string): SchemaNode | undefined {
  for (const n of schemaAt(mapPath)) {
    const prop = n.properties?.[key];
    if (prop) return deref(prop);
  }
  return undefined;
}

/** The keys a mapping at `path` takes, in the schema's order, each with its schema node. */
export function keysAt(path: readonly (string | number)[]): [string, SchemaNode][] {
  const out = new Map<string, SchemaNode>();
  for (const n of schemaAt(path)) for (const [k, v] of Object.entries(n.properties ?? {})) if (!out.has(k)) out.set(k, deref(v));
  return [...out];
}

/** The allowed values of a scalar at `path`: enums and consts of every branch. */
export function valuesAt(path: readonly (string | number)[]): { value: string; node: SchemaNode }[] {
  const out: { value: string; node: SchemaNode }[] = [];
  const seen = new Set<string>();
  for (const n of schemaAt(path)) {
    const values = n.enum ?? (n.const !== undefined ? [n.const] : []);
    for (const v of values) {
      const s = String(v);
      if (!seen.has(s)) { seen.add(s); out.push({ value: s, node: n }); }
    }
  }
  return out;
}

function types(n: SchemaNode): string[] {
  return n.type === undefined ? [] : Array.isArray(n.type) ? n.type : [n.type];
}

/** Whether a value at `path` may be a list, and only a list (so a new line under its key starts an item). */
export function isListAt(path: readonly (string | number)[]): boolean {
  const nodes = schemaAt(path).filter((n) => types(n).length);
  return nodes.length > 0 && nodes.every((n) => types(n).every((t) => t === 'array'));
}

/** Whether a value at `path` may be a mapping and not a scalar: typing there means typing a key. */
export function isMappingOnlyAt(path: readonly (string | number)[]): boolean {
  const nodes = schemaAt(path).filter((n) => types(n).length || n.enum || n.const !== undefined);
  return nodes.length > 0 && nodes.every((n) => !n.enum && n.const === undefined && types(n).every((t) => t === 'object' || t === 'null'));
}

/** Markdown documentation of a schema property: its description and allowed values. */
export function propertyDoc(node: SchemaNode): string {
  const parts: string[] = [];
  if (node.description) parts.push(node.description);
  const allowed = node.enum ?? (node.const !== undefined ? [node.const] : undefined);
  if (allowed?.length) parts.push(`Allowed: ${allowed.map((v) => '`' + String(v) + '`').join(', ')}${node.default !== undefined ? ` (default \`${String(node.default)}\`)` : ''}`);
  else if (node.default !== undefined) parts.push(`Default: \`${String(node.default)}\``);
  return parts.join('\n\n');
}

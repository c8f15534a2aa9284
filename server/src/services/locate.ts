import type { YMap, YNode, YPair } from '../language/yaml/tree';

/** Where an offset sits in the YAML tree, for schema-driven features (key completion, key hover). */
export interface YamlPlace {
  /** Keys and indexes from the root to the innermost node holding the offset. */
  path: (string | number)[];
  /** The pair whose key holds the offset, if on a key. */
  key?: YPair;
  /** The innermost scalar, map or sequence holding the offset. */
  node?: YNode;
  /** The innermost mapping holding the offset: where a new key would go. */
  map?: YMap;
}

/** Walks down from the root to the innermost node holding `offset`. */
export function locate(root: YNode | null, offset: number): YamlPlace {
  const place: YamlPlace = { path: [] };
  let node: YNode | null | undefined = root;
  const holds = (n: { span: { offset: number; length: number } }) => offset >= n.span.offset && offset <= n.span.offset + n.span.length;
  while (node && holds(node)) {
    place.node = node;
    if (node.kind === 'map') {
      place.map = node;
      const pair: YPair | undefined = node.pairs.find((p) => holds(p.key) || (p.value && holds(p.value)));
      if (!pair) break;
      place.path.push(String(pair.key.value));
      if (holds(pair.key)) {
        place.key = pair;
        break;
      }
      node = pair.value;
    } else if (node.kind === 'seq') {
      const i = node.items.findIndex(holds);
      if (i < 0) break;
      place.path.push(i);
      node = node.items[i];
    } else break;
  }
  return place;
}

import type { Definition } from '../model';
import { get } from '../yaml/tree';
import { Context, KIND_NAMES } from './context';

/** duplicate-id: metrics, KPIs and goals share ids across the file and its imports; sources have their own. */
export function checkDuplicateIds(ctx: Context): void {
  checkKeyTypes(ctx);
  const firstHere = new Map<string, Definition>();
  const key = (d: Definition) => (d.kind === 'source' ? `source:${d.id}` : d.id);
  for (const def of ctx.own) {
    const earlier = firstHere.get(key(def));
    if (earlier) {
      // The same key twice in one section is already a duplicate-key.
      if (earlier.kind !== def.kind) {
        ctx.report('duplicate-id', def.idSpan, `\`${def.id}\` is already defined as a ${KIND_NAMES[earlier.kind]}; metrics, KPIs and goals share one set of ids`, {
          related: [{ file: earlier.file, span: earlier.idSpan, message: `${KIND_NAMES[earlier.kind]} \`${def.id}\`` }],
        });
      }
      continue;
    }
    firstHere.set(key(def), def);
  }
  for (const parsed of ctx.ws.closure(ctx.file).slice(1)) {
    for (const other of parsed.spec.definitions) {
      const mine = firstHere.get(key(other));
      if (!mine) continue;
      ctx.report('duplicate-id', mine.idSpan, `\`${other.id}\` is also defined as a ${KIND_NAMES[other.kind]} in ${other.file.slice(other.file.lastIndexOf('/') + 1)}, which this file imports`, {
        related: [{ file: other.file, span: other.idSpan, message: `${KIND_NAMES[other.kind]} \`${other.id}\`` }],
      });
      firstHere.delete(key(other));
    }
  }
}

/** invalid-id for keys YAML reads as something other than text (`true:`, `~:`, `12:`). */
function checkKeyTypes(ctx: Context): void {
  for (const section of ['sources', 'metrics', 'kpis', 'goals']) {
    const map = get(ctx.spec.root, section);
    if (map?.kind !== 'map') continue;
    for (const pair of map.pairs) {
      if (typeof pair.key.value === 'string') continue;
      ctx.report('invalid-id', pair.key.span, `YAML reads this key as ${pair.key.value === null ? 'empty (null)' : typeof pair.key.value === 'boolean' ? 'true/false' : 'a number'}, not as an id; ids are lower_snake_case names such as \`bounce_rate\``);
    }
  }
}

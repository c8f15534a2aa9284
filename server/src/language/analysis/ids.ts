import type { Definition } from '../model';
import { Context, KIND_NAMES } from './context';

/** duplicate-id: metrics, KPIs and goals share ids across the file and its imports; sources have their own. */
export function checkDuplicateIds(ctx: Context): void {
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

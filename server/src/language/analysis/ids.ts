import type { Definition } from '../model';
import { Context, KIND_NAMES } from './context';

/** duplicate-id: one namespace across sections, the file and everything it imports. */
export function checkDuplicateIds(ctx: Context): void {
  const firstHere = new Map<string, Definition>();
  for (const def of ctx.own) {
    const earlier = firstHere.get(def.id);
    if (earlier) {
      // The same key twice in one section is already a duplicate-key.
      if (earlier.kind !== def.kind) {
        ctx.report('duplicate-id', def.idSpan, `\`${def.id}\` is already defined as a ${KIND_NAMES[earlier.kind]}; ids are shared by sources, metrics, KPIs and goals`, {
          related: [{ file: earlier.file, span: earlier.idSpan, message: `${KIND_NAMES[earlier.kind]} \`${def.id}\`` }],
        });
      }
      continue;
    }
    firstHere.set(def.id, def);
  }
  for (const parsed of ctx.ws.closure(ctx.file).slice(1)) {
    for (const other of parsed.spec.definitions) {
      const mine = firstHere.get(other.id);
      if (!mine) continue;
      ctx.report('duplicate-id', mine.idSpan, `\`${other.id}\` is also defined as a ${KIND_NAMES[other.kind]} in ${other.file.slice(other.file.lastIndexOf('/') + 1)}, which this file imports`, {
        related: [{ file: other.file, span: other.idSpan, message: `${KIND_NAMES[other.kind]} \`${other.id}\`` }],
      });
      firstHere.delete(other.id);
    }
  }
}

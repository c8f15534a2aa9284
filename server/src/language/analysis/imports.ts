import type { Located, SpecFile } from '../model';
import type { Span } from '../span';
import { isSpecImport } from '../workspace';
import { Context } from './context';
import { suggestPath } from './paths';

/** import-not-found and import-cycle: imports must exist, be specs, and not lead back here. */
export function checkImports(ctx: Context): void {
  const seenTargets = new Set<string>();
  const direct = directTargets(ctx);
  for (const imp of ctx.spec.imports) {
    const target = ctx.ws.resolveImport(ctx.file, imp.value);
    if (!isSpecImport(imp.value)) continue; // the schema reports it

    if (seenTargets.has(target)) continue;
    seenTargets.add(target);
    const loaded = ctx.ws.load(target);
    if (!loaded.parsed) {
      const missing = loaded.readProblem.data?.reason === 'missing';
      const s = missing ? suggestPath(ctx.ws.host, ctx.file, imp.value, (n) => /\.kpi\.ya?ml$/.test(n)) : undefined;
      const why = missing ? `${loaded.readProblem.message}${s ? ` (did you mean \`${s}\`?)` : ''}; paths are relative to this spec file` : loaded.readProblem.message;
      ctx.report('import-not-found', imp.span, `cannot import \`${imp.value}\`: ${why}`, s ? { data: { suggestion: s } } : undefined);
      continue;
    }
    checkDefaults(ctx, imp, loaded.parsed.spec);
    const broken = brokenBeyond(ctx, target, direct);
    if (broken) {
      const via = broken.chain.map((f) => shortName(f)).join(' → ');
      ctx.report('import-not-found', imp.span, `\`${imp.value}\` is incomplete: ${via} cannot import \`${broken.written}\`: ${broken.why}; what it defines over that file is missing here too`, {
        related: [{ file: broken.chain[broken.chain.length - 1]!, span: broken.span, message: `cannot import ${broken.written}` }],
      });
    }
    const chain = cycleBack(ctx, target);
    if (chain) {
      const names = [ctx.file, ...chain].map((f) => shortName(f));
      ctx.report('import-cycle', imp.span, `import cycle: ${names.join(' → ')}`, {
        related: chain.slice(0, -1).map((f, i) => {
          const next = chain[i + 1]!;
          const spec = ctx.ws.load(f).parsed!.spec;
          const step = spec.imports.find((x) => ctx.ws.resolveImport(f, x.value) === next) ?? spec.imports[0]!;
          return { file: f, span: step.span, message: `imports ${shortName(next)}` };
        }),
      });
    }
  }
}

/**
 * import-defaults: an imported file that sets another timezone or currency than this one. Its
 * sources are read in this file's timezone when evaluated from here, so its rows may fall in
 * other periods than when it is evaluated alone. A file that sets none takes this file's.
 */
function checkDefaults(ctx: Context, imp: Located<string>, imported: SpecFile): void {
  const here = ctx.spec.defaults;
  const there = imported.defaults;
  const differ: string[] = [];
  if (here.timezoneSpan && there.timezoneSpan && here.timezone !== there.timezone) {
    differ.push(`its timezone is \`${there.timezone}\`, this file's \`${here.timezone}\`: evaluated from here, its sources are read in ${here.timezone}, so rows near midnight may fall in other days and periods than when it is evaluated alone`);
  }
  if (here.currencySpan && there.currencySpan && here.currency !== there.currency) {
    differ.push(`its currency is \`${there.currency}\`, this file's \`${here.currency}\`: its currency metrics stay in ${there.currency}, so KPIs here that combine them with ${here.currency} amounts are unit-mismatch`);
  }
  if (!differ.length) return;
  const related = [there.timezoneSpan && there.timezone !== here.timezone ? { file: imported.file, span: there.timezoneSpan, message: `timezone ${there.timezone}` } : undefined,
    there.currencySpan && there.currency !== here.currency ? { file: imported.file, span: there.currencySpan, message: `currency ${there.currency}` } : undefined].filter((r): r is NonNullable<typeof r> => !!r);
  ctx.report('import-defaults', imp.span, `\`${imp.value}\` sets other defaults: ${differ.join('; ')}; set the same \`defaults\` in both, or leave them out of the imported file`, { related });
}

/** The files this file imports itself: a problem with one of them is reported at its own entry. */
function directTargets(ctx: Context): Set<string> {
  return new Set(ctx.spec.imports.filter((imp) => isSpecImport(imp.value)).map((imp) => ctx.ws.resolveImport(ctx.file, imp.value)));
}

/**
 * The first import, beyond `start`, that cannot be read (missing, not UTF-8, too large), with
 * the chain of files from `start` to the one that imports it. Files this file imports itself
 * are left to their own entry; cycles are another check's.
 */
function brokenBeyond(ctx: Context, start: string, direct: Set<string>): { chain: string[]; written: string; span: Span; why: string } | undefined {
  const parent = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const f = queue.shift()!;
    const parsed = ctx.ws.load(f).parsed;
    if (!parsed) continue;
    for (const imp of parsed.spec.imports) {
      if (!isSpecImport(imp.value)) continue;
      const next = ctx.ws.resolveImport(f, imp.value);
      if (parent.has(next) || next === ctx.file) continue;
      parent.set(next, f);
      const loaded = ctx.ws.load(next);
      if (!loaded.parsed && !direct.has(next)) {
        const chain: string[] = [];
        for (let at: string | null | undefined = f; at; at = parent.get(at)) chain.unshift(at);
        return { chain, written: imp.value, span: imp.span, why: loaded.readProblem.message };
      }
      queue.push(next);
    }
  }
  return undefined;
}

/** The path of files from `start` back to the checked file, if its imports lead back. */
function cycleBack(ctx: Context, start: string): string[] | undefined {
  const parent = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const f = queue.shift()!;
    if (f === ctx.file) {
      const path: string[] = [];
      for (let at: string | null | undefined = f; at; at = parent.get(at)) path.unshift(at);
      return path;
    }
    const parsed = ctx.ws.load(f).parsed;
    if (!parsed) continue;
    for (const imp of parsed.spec.imports) {
      const next = ctx.ws.resolveImport(f, imp.value);
      if (!parent.has(next)) {
        parent.set(next, f);
        queue.push(next);
      }
    }
  }
  return undefined;
}

function shortName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

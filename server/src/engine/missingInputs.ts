import { forEachNode } from '../language/analysis/references';
import type { Definition, KpiDef, MetricDef } from '../language/model';
import { LineIndex } from '../language/lineIndex';
import type { Span } from '../language/span';
import { isSpecImport, type Workspace, type Scope } from '../language/workspace';

/** The first input a definition cannot be computed without, said as a reader follows it. */
export interface MissingInput {
  /** Where the missing piece is named, e.g. a metric's `source:` in an imported file. */
  file: string;
  span: Span;
  /** What stops it (`it reads the metric …`), or, when it does not stop it, what it goes without (`` `x`, which is not evaluated ``). */
  message: string;
  /**
   * A name no file in scope defines stops the KPI: there is nothing to compute it from. An input
   * that is not evaluated (an error in its entry) reads as no data, as in every engine, and a
   * formula may still give a value around it (`coalesce(broken, 0)`): it is said, not stopping.
   */
  stops: boolean;
}

/**
 * Why a KPI can have no value although its own entry is clean: something it reads, maybe in
 * another file, names what no file in scope defines (an import that failed), or is not
 * evaluated itself. The checker reports such a name in the file that writes it; a KPI that
 * shows no data because of it must say why too. Memoized: linear along a chain of KPIs.
 */
export class MissingInputs {
  private readonly memo = new Map<Definition, MissingInput | null>();
  private imports?: string;

  constructor(
    private readonly ws: Workspace,
    private readonly file: string,
    private readonly scope: Scope,
    /** Definitions not evaluated (an error in their entry), with why. */
    private readonly broken: ReadonlyMap<Definition, { message: string }>,
  ) {}

  /** What `kpi` lacks, or undefined when everything it reads is there. */
  of(kpi: KpiDef): MissingInput | undefined {
    // Dependencies first, without recursion: a chain of 10,000 KPIs must not overflow the stack.
    const order: KpiDef[] = [];
    const stack: KpiDef[] = [kpi];
    const seen = new Set<KpiDef>();
    while (stack.length) {
      const k = stack.pop()!;
      if (seen.has(k) || this.memo.has(k)) continue;
      seen.add(k);
      order.push(k);
      for (const { def } of this.named(k)) if (def?.kind === 'kpi') stack.push(def);
    }
    for (let i = order.length - 1; i >= 0; i--) this.memo.set(order[i]!, this.ofKpi(order[i]!) ?? null);
    return this.memo.get(kpi) ?? undefined;
  }

  private ofKpi(k: KpiDef): MissingInput | undefined {
    for (const n of this.named(k)) {
      if (!n.def) return { file: k.file, span: n.span, stops: true, message: `it reads \`${k.id}\` (${this.place(k.file, n.span)}), whose formula names \`${n.name}\`, which no file in scope defines${this.failedImports()}` };
      if (n.def === k) continue;
      const why = this.broken.get(n.def);
      if (why && n.def.file !== this.file) return { file: n.def.file, span: n.def.idSpan, stops: false, message: `\`${n.def.id}\` (${this.place(n.def.file, n.def.idSpan)}), which is not evaluated: ${why.message}` };
      if (why) return { file: n.def.file, span: n.def.idSpan, stops: false, message: `\`${n.def.id}\`, which is not evaluated` };
      const inner = n.def.kind === 'kpi' ? this.memo.get(n.def) : n.def.kind === 'metric' ? this.ofMetric(n.def) : undefined;
      if (inner) return inner;
    }
    return undefined;
  }

  private ofMetric(m: MetricDef): MissingInput | undefined {
    if (!m.source || this.scope.sources.has(m.source.value)) return undefined;
    return {
      file: m.file, span: m.source.span, stops: true,
      message: `it reads the metric \`${m.id}\` (${this.place(m.file, m.source.span)}), whose source \`${m.source.value}\` no file in scope defines${this.failedImports()}`,
    };
  }

  /** The names a KPI's formula uses, each with what it resolves to (undefined: nothing). */
  private named(k: KpiDef): { name: string; span: Span; def: Definition | undefined }[] {
    const out: { name: string; span: Span; def: Definition | undefined }[] = [];
    if (k.formula) forEachNode(k.formula.expr, (e) => {
      if (e.kind === 'name') out.push({ name: e.name, span: e.span, def: this.scope.names.get(e.name) });
    });
    return out;
  }

  private place(file: string, span: Span): string {
    const { line, character } = new LineIndex(this.ws.load(file).parsed?.spec.text ?? '').positionAt(span.offset);
    return `${baseName(file)}:${line + 1}:${character + 1}`;
  }

  /** ` (b.kpi.yaml → c.kpi.yaml cannot import …: why)` for the first import in scope that failed, else ''. */
  private failedImports(): string {
    if (this.imports !== undefined) return this.imports;
    const parent = new Map<string, string | null>([[this.file, null]]);
    const queue = [this.file];
    this.imports = '';
    while (queue.length && !this.imports) {
      const f = queue.shift()!;
      const parsed = this.ws.load(f).parsed;
      if (!parsed) continue;
      for (const imp of parsed.spec.imports) {
        if (!isSpecImport(imp.value)) continue;
        const next = this.ws.resolveImport(f, imp.value);
        if (parent.has(next)) continue;
        parent.set(next, f);
        const loaded = this.ws.load(next);
        if (!loaded.parsed) {
          const chain: string[] = [];
          for (let at: string | null | undefined = f; at; at = parent.get(at)) chain.unshift(baseName(at));
          this.imports = `; ${chain.join(' → ')} cannot import \`${imp.value}\`: ${loaded.readProblem.message}`;
          break;
        }
        queue.push(next);
      }
    }
    return this.imports;
  }
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

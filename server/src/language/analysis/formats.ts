import type { Definition } from '../model';
import { describeUnit, isRatio, type Unit } from '../units';
import { Context } from './context';
import { KpiInference } from './infer';

/**
 * format-mismatch: the display format should fit the inferred unit. Money or time per
 * something (an average order value, a CAC, seconds per session) still reads as money or time.
 */
export function checkFormats(ctx: Context, inference: KpiInference, defs: Iterable<Definition> = ctx.own): void {
  for (const def of defs) {
    if (def.kind !== 'kpi' || !def.format || !ctx.scope.owns(def)) continue;
    ctx.at(def);
    const unit = inference.kpi(def).unit;
    if (!unit) continue;
    const format = def.format.value;
    const currency = perSomething(unit, (base) => /^[A-Z]{3}$/.test(base));
    const seconds = perSomething(unit, (base) => base === 'seconds');
    const fits = format === 'number' || (format === 'percent' && isRatio(unit)) || (format === 'currency' && currency) || (format === 'duration' && seconds);
    if (!fits) {
      const better = isRatio(unit) ? 'percent' : currency ? 'currency' : seconds ? 'duration' : 'number';
      ctx.report('format-mismatch', def.format.span, `\`${def.id}\` computes ${isRatio(unit) ? 'a ratio' : describeUnit(unit)}, which \`format: ${format}\` does not fit; use \`format: ${better}\``, { data: { suggestion: better } });
    }
  }
}

/** One base unit matching `isBase` to the first power, anything else only below the line. */
function perSomething(unit: Unit, isBase: (base: string) => boolean): boolean {
  const up = Object.entries(unit).filter(([, power]) => power > 0);
  return up.length === 1 && up[0]![1] === 1 && isBase(up[0]![0]);
}

import { describeUnit, isRatio, sameUnit } from '../units';
import { Context } from './context';
import { KpiInference } from './infer';

/** format-mismatch: the display format should fit the inferred unit. */
export function checkFormats(ctx: Context, inference: KpiInference): void {
  for (const def of ctx.own) {
    if (def.kind !== 'kpi' || !def.format || ctx.scope.get(def.id) !== def) continue;
    const unit = inference.kpi(def).unit;
    if (!unit) continue;
    const format = def.format.value;
    const keys = Object.keys(unit);
    const isCurrency = keys.length === 1 && unit[keys[0]!] === 1 && /^[A-Z]{3}$/.test(keys[0]!);
    const fits =
      format === 'number' ||
      (format === 'percent' && isRatio(unit)) ||
      (format === 'currency' && isCurrency) ||
      (format === 'duration' && sameUnit(unit, { seconds: 1 }));
    if (!fits) {
      const better = isRatio(unit) ? 'percent' : isCurrency ? 'currency' : sameUnit(unit, { seconds: 1 }) ? 'duration' : 'number';
      ctx.report('format-mismatch', def.format.span, `\`${def.id}\` computes ${describeUnit(unit)}, which \`format: ${format}\` does not fit; use \`format: ${better}\``, { data: { suggestion: better } });
    }
  }
}

import type { Explanation } from '../explain';
import { code, escapeMarkdown } from './hoverMarkdown';

/**
 * A KPI hover's line on why it moved: the periods compared and the explanation's one sentence
 * naming the top drivers (docs/explain.md), e.g. `**Why** (`2026-10` vs `2026-09`): −0.36 pp:
 * mobile conversion rate fell from 2.61% to 2.11% (−0.32 pp); …`. Undefined when there is
 * nothing to explain (no change: a period without a value, a single period) or no driver to name.
 * The sentence holds group names from the data: escaped, it shows as text.
 */
export function whyLine(x: Explanation): string | undefined {
  if (x.change === null || !x.period || !x.drivers.length) return undefined;
  const versus = x.vs === 'yoy' ? `${code(x.base)}, a year before` : code(x.base);
  return `**Why** (${code(x.period)} vs ${versus}): ${escapeMarkdown(x.summary)}`;
}

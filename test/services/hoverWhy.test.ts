import * as assert from 'node:assert/strict';
import type { Explanation } from '../../server/src/explain';
import { hover } from '../../server/src/services/hover';
import { whyLine } from '../../server/src/services/hoverWhy';
import { evalText } from '../engine/evalText';
import { atCaret, DATA, shop } from './completionFixture';

/** An explanation as explainKpis makes one, reduced to what the hover reads. */
function explanation(over: Partial<Explanation> = {}): Explanation {
  return {
    kpi: 'bounce_rate', kind: 'ratio', method: 'shift_share', period: '2026-01', base: '2025-12', vs: 'prev',
    value: 0.25, baseValue: 0.3, change: -0.05, dimensions: [],
    drivers: [{ effect: 'rate', dimension: 'channel', group: 'ads', contribution: -0.04, text: 'ads bounce rate fell from 40.00% to 30.00% (−4.00 pp)' }],
    summary: '−5.00 pp: ads bounce rate fell from 40.00% to 30.00% (−4.00 pp).', notes: [],
    ...over,
  };
}

describe('hover: why a KPI moved', () => {
  it('says the periods compared and the sentence, as text', () => {
    assert.equal(whyLine(explanation()), '**Why** (`2026-01` vs `2025-12`): −5\\.00 pp: ads bounce rate fell from 40\\.00% to 30\\.00% \\(−4\\.00 pp\\)\\.');
    assert.equal(whyLine(explanation({ vs: 'yoy', base: '2025-01' }))?.startsWith('**Why** (`2026-01` vs `2025-01`, a year before): '), true);
    // Group names come from the data: markup in them stays text.
    const hostile = whyLine(explanation({ summary: '−5.00 pp: <img src=x onerror=alert(1)> [link](http://x) fell.' }))!;
    assert.ok(hostile.includes('\\<img') && hostile.includes('\\]\\(http'), hostile);
    assert.doesNotMatch(hostile, /[^\\]<|[^\\]\]\(/);
  });

  it('says nothing when there is nothing to explain or no driver to name', () => {
    assert.equal(whyLine(explanation({ change: null, period: '', base: '', summary: 'nothing to explain: no complete period has a value (2026-01, by month).' })), undefined);
    assert.equal(whyLine(explanation({ drivers: [], summary: '±0.00 pp.' })), undefined);
  });

  it('adds the line after the latest value, on the KPI it explains only', () => {
    const { snap, offset } = atCaret(shop('  bounce_rate:', '  bounce^_rate:'), DATA);
    const results = evalText(snap.text, DATA);
    const md = hover(snap, offset, results, explanation())!.markdown;
    assert.ok(md.indexOf('**Latest') >= 0 && md.indexOf('**Why**') > md.indexOf('**Latest'), md);
    assert.doesNotMatch(hover(snap, offset, results, explanation({ kpi: 'aov' }))!.markdown, /\*\*Why\*\*/);
    // Without values there is no latest value to explain.
    assert.doesNotMatch(hover(snap, offset, undefined, explanation())!.markdown, /\*\*Why\*\*/);
  });
});

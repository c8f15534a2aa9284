import * as assert from 'node:assert/strict';
import { hover } from '../../server/src/services/hover';
import { evalText } from '../engine/evalText';
import { atCaret } from './completionFixture';

// Data through 2026-05-10: May is partial (10 of 31 days). April 1 … 10 holds 100 sessions, May 1 … 10 holds 150.
const WEB = 'date,sessions,orders\n2026-04-05,100,4\n2026-04-20,300,6\n2026-05-10,150,3\n';
const SPEC = `kpispec: 1
sources:
  web: { file: web.csv, time: date }
metrics:
  sessions: { source: web, agg: sum, column: sessions }
  orders: { source: web, agg: sum, column: orders }
kpis:
  visi^ts: { formula: sessions, target: { min: 900, per: quarter } }
  conversion: { formula: orders / sessions, format: percent, target: 1% }
`;

function hoverMd(spec: string, grain?: 'quarter'): string {
  const { snap, offset } = atCaret(spec, { 'web.csv': WEB });
  return hover(snap, offset, evalText(snap.text, { 'web.csv': WEB }, { today: '2026-12-31', grain }))?.markdown ?? '';
}

describe('hover: partial periods and converted targets', () => {
  it('shows the day the data ends, the pace against the pro-rated target, and a like-for-like change', () => {
    const md = hoverMd(SPEC);
    assert.match(md, /Target: `≥ 900 per quarter`/);
    // May's share of Q2's 900 is 900 × 31/91 = 306.59…; its first 10 days 900 × 10/91 = 98.90…
    // 150 ≥ 98.90 → met, on pace. vs April 1 … 10 (100): +50%.
    assert.match(md, /\*\*Latest \(`2026-05`, data through 2026-05-10\): `150`\*\* · met, on pace \(`≥ 98\.9` so far of `≥ 306\.6`\) · \+50\.0% vs the same days of the previous period/);
  });

  it('a ratio on a partial period keeps its bound; at another grain the target in force is shown', () => {
    const md = hoverMd(SPEC.replace('visi^ts', 'visits').replace('  conversion', '  conver^sion'), 'quarter');
    // Q2 through May 10: 13 orders / 550 sessions = 2.36% ≥ 1% → met; target unchanged.
    assert.match(md, /\*\*Latest \(`2026-Q2`, data through 2026-05-10\): `2\.36%`\*\* · met · target here `≥ 1\.00%`/);
  });
});

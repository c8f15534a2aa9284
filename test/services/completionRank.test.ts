import * as assert from 'node:assert/strict';
import { fit, NO_FIT, rankByFit } from '../../server/src/services/completionRank';
import type { Completion } from '../../server/src/services/types';

const item = (label: string, sortRank?: number): Completion => ({ label, kind: 'metric', replace: { offset: 0, length: 0 }, ...(sortRank === undefined ? {} : { sortRank }) });

describe('completion ranked by fit', () => {
  it('grades a label by how the typed text fits it', () => {
    assert.deepEqual(
      [['revenue', 'rev'], ['Revenue', 'rev'], ['paid_revenue', 'rev'], ['paidRevenue', 'rev'], ['prevenue', 'rev'], ['r_e_v', 'rev'], ['orders', 'rev'], ['anything', '']].map(([l, t]) => fit(l!, t!)),
      [0, 1, 2, 2, 3, 4, NO_FIT, 0],
    );
  });

  it('offers the expected kind first, then the best fits, then the listed order', () => {
    const items = [item('prevenue'), item('orders'), item('paid_revenue'), item('revenue_3m', 9), item('r_e_v'), item('revenue'), item('rev_kpi', 1)];
    // Rank 1 first, rank 9 last; among the default rank 5: prefix, word start, inside, letters in order, no fit.
    assert.deepEqual(rankByFit(items, 'rev').map((r) => r.item.label), ['rev_kpi', 'revenue', 'paid_revenue', 'prevenue', 'r_e_v', 'orders', 'revenue_3m']);
  });
});

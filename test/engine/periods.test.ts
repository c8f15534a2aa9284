import * as assert from 'node:assert/strict';
import { dayNumber } from '../../server/src/language/period';
import { periodEnd } from '../../server/src/language/period';
import { dayText, periodKey, periodStartOf, Timeline } from '../../server/src/engine/periods';

const d = (s: string) => dayNumber(+s.slice(0, 4), +s.slice(5, 7), +s.slice(8, 10));

describe('engine: periods', () => {
  it('buckets days into ISO weeks starting on Monday, with the ISO year', () => {
    assert.equal(periodKey(periodStartOf(d('2026-01-01'), 'week'), 'week'), '2026-W01'); // a Thursday
    assert.equal(dayText(periodStartOf(d('2026-01-01'), 'week')), '2025-12-29');
    assert.equal(periodKey(periodStartOf(d('2027-01-01'), 'week'), 'week'), '2026-W53'); // 2026 has 53 ISO weeks
    assert.equal(periodKey(periodStartOf(d('2024-12-30'), 'week'), 'week'), '2025-W01');
    assert.equal(periodKey(periodStartOf(d('2026-03-08'), 'week'), 'week'), '2026-W10'); // a Sunday
  });

  it('buckets into months, quarters and years', () => {
    assert.equal(periodKey(periodStartOf(d('2026-02-28'), 'month'), 'month'), '2026-02');
    assert.equal(periodKey(periodStartOf(d('2026-09-30'), 'quarter'), 'quarter'), '2026-Q3');
    assert.equal(periodKey(periodStartOf(d('2026-10-01'), 'quarter'), 'quarter'), '2026-Q4');
    assert.equal(periodKey(periodStartOf(d('2026-12-31'), 'year'), 'year'), '2026');
  });

  it('a timeline holds every period between the first and last day, gaps included', () => {
    const t = new Timeline('month', d('2025-11-15'), d('2026-02-01'));
    assert.deepEqual(t.starts.map((_, i) => t.period(i).key), ['2025-11', '2025-12', '2026-01', '2026-02']);
    assert.equal(t.indexOf(d('2025-12-31')), 1);
    assert.equal(t.indexOf(d('2026-03-01')), -1);
    assert.deepEqual(t.period(1), { key: '2025-12', start: '2025-12-01', end: '2025-12-31' });
  });

  it('a written period ends by its own granularity', () => {
    assert.equal(dayText(periodEnd('2026-02')!), '2026-02-28');
    assert.equal(dayText(periodEnd('2026-Q4')!), '2026-12-31');
    assert.equal(dayText(periodEnd('2026')!), '2026-12-31');
    assert.equal(dayText(periodEnd('2026-W01')!), '2026-01-04');
    assert.equal(periodEnd('2026-13'), undefined);
  });
});

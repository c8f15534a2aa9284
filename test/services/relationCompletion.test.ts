import * as assert from 'node:assert/strict';
import { completions } from '../../server/src/services/completion';
import { signatureHelp } from '../../server/src/services/signatureHelp';
import type { Completion } from '../../server/src/services/types';
import { fixture } from './referencesFixture';
import { MAIN, relationFiles } from './relationsFixture';

/** Completions at the caret of MAIN with `find` replaced by `replace` (which holds the caret). */
function complete(find: string, replace: string) {
  if (!MAIN.includes(find)) throw new Error(`MAIN has no ${find}`);
  const fx = fixture(relationFiles(MAIN.replace(find, replace)));
  const snap = fx.snap('main.kpi.yaml');
  const offset = fx.caret('main.kpi.yaml');
  const items = completions(snap, offset);
  return {
    items, offset, text: snap.text, snap,
    labels: items.map((i) => i.label),
    get(label: string): Completion {
      const c = items.find((i) => i.label === label);
      assert.ok(c, `no completion ${label} in ${items.map((i) => i.label).join(', ')}`);
      return c;
    },
    /** The text after applying a completion. */
    apply(c: Completion): string {
      return snap.text.slice(0, c.replace.offset) + (c.insertText ?? c.label) + snap.text.slice(c.replace.offset + c.replace.length);
    },
  };
}

const WHERE = "where: 'matched(deal) and deal.amount > 0'";

describe('completion: relations', () => {
  describe('source ids', () => {
    it('offers the other sources in a rollup\'s `from:`, imported ones too', () => {
      const r = complete('from: leads', 'from: ^');
      assert.deepEqual([...r.labels].sort(), ['deals', 'leads', 'reps']);
      assert.equal(r.get('leads').sortRank, 0);
      assert.equal(r.get('deals').sortRank, 1);
      assert.match(r.get('deals').detail!, /data\/deals\.csv · key lead_id/);
      assert.equal(r.get('leads').kind, 'source');
    });

    it('offers sources in a lookup\'s `source:`, replacing what is typed, the source itself last', () => {
      const r = complete('deal: { source: deals, on: lead_id }', 'deal: { source: de^, on: lead_id }');
      assert.ok(r.labels.includes('deals') && r.labels.includes('origins') && r.labels.includes('reps'));
      assert.equal(r.get('leads').sortRank, 2);
      assert.match(r.get('origins').detail!, /rollup of leads/);
      assert.ok(r.apply(r.get('deals')).includes('deal: { source: deals, on: lead_id }'));
    });

    it('offers sources in a block lookup', () => {
      const r = complete('deal: { source: deals, on: lead_id }', 'deal:\n        source: ^\n        on: lead_id');
      assert.ok(r.labels.includes('deals'));
    });
  });

  describe('key and join columns', () => {
    it('`key:` of a rollup: the columns of the source it rolls up, derived ones too, no lookups', () => {
      const r = complete('key: origin', 'key: ^');
      assert.deepEqual(r.labels, ['lead_id', 'first_contact', 'origin', 'days_to_close', 'cohort', 'big']);
      assert.match(r.get('cohort').detail!, /^text · derived: period\(first_contact, month\)$/);
    });

    it('`key:` as a list, without the columns already listed', () => {
      const r = complete('key: origin', 'key: [origin, ^]');
      assert.ok(!r.labels.includes('origin') && r.labels.includes('cohort'));
    });

    it('`key:` of a file source: its own columns', () => {
      const fx = fixture(relationFiles(MAIN, 'kpispec: 1\nsources:\n  reps: { file: data/reps.csv, key: ^ }\n'));
      const labels = completions(fx.snap('base.kpi.yaml'), fx.caret('base.kpi.yaml')).map((c) => c.label);
      assert.deepEqual(labels, ['rep_id', 'team']);
    });

    it('`on:` names this source\'s columns; in `on: { … }` a key is one of them, its value a key of the looked-up source', () => {
      const r = complete('deal: { source: deals, on: lead_id }', 'deal: { source: deals, on: ^ }');
      assert.ok(r.labels.includes('lead_id') && r.labels.includes('origin'));
      assert.ok(!r.labels.includes('deal'));
      const key = complete('deal: { source: deals, on: lead_id }', 'deal: { source: deals, on: { le^ } }');
      assert.equal(key.apply(key.get('lead_id')).includes('on: { lead_id:  } }'), true);
      const value = complete('deal: { source: deals, on: lead_id }', 'deal: { source: deals, on: { origin: ^ } }');
      assert.deepEqual(value.labels, ['lead_id']);
      assert.equal(value.get('lead_id').detail, 'key of deals');
    });
  });

  describe('columns of a source with relations', () => {
    it('in `column:`: own columns (data and derived) and the lookups, not every looked-up column', () => {
      const r = complete('column: deal.amount', 'column: ^');
      assert.deepEqual(r.labels, ['lead_id', 'first_contact', 'origin', 'days_to_close', 'cohort', 'big', 'deal']);
      const deal = r.get('deal');
      assert.equal(deal.kind, 'lookup');
      assert.equal(deal.detail, 'lookup → deals');
      assert.match(r.get('days_to_close').detail!, /^number · derived: days_between/);
    });

    it('after `deal.` in `column:`: the columns of the looked-up source, chains and derived ones too', () => {
      const r = complete('column: deal.amount', 'column: deal.^');
      assert.deepEqual(r.labels, ['deal.lead_id', 'deal.won_date', 'deal.amount', 'deal.segment', 'deal.rep', 'deal.net', 'deal.owner.rep_id', 'deal.owner.team']);
      const amount = r.get('deal.amount');
      assert.equal(amount.detail, 'number · lookup deal → deals');
      assert.equal(r.text.slice(amount.replace.offset, amount.replace.offset + amount.replace.length), 'deal.');
      assert.ok(r.apply(amount).includes('column: deal.amount, unit'));
    });

    it('in `dimensions:` after `deal.o`, and the rollup\'s own columns in its dimensions', () => {
      const r = complete('dimensions: [origin, deal.segment, deal.owner.team, cohort]', 'dimensions: [origin, deal.o^]');
      assert.ok(r.labels.includes('deal.owner.team') && r.labels.includes('deal.segment'));
      assert.ok(!r.labels.includes('origin'));
      const rollup = complete('    dimensions: [origin]\n', '    dimensions: [^]\n');
      assert.deepEqual(rollup.labels, ['origin', 'first_lead', 'won', 'lead_count', 'slowest']);
      assert.equal(rollup.get('origin').detail, 'text · key of origins');
      assert.equal(rollup.get('won').detail, 'number · sum(deal.amount)');
    });

    it('the rollup\'s `time:` offers its date columns first, no lookups', () => {
      const r = complete('time: first_lead', 'time: ^');
      assert.equal(r.get('first_lead').sortRank, 0);
      assert.equal(r.get('won').sortRank, 1);
    });

    it('in a KPI\'s `by:`: the looked-up and derived dimensions of its source', () => {
      const r = complete('by: [deal.segment]', 'by: [deal.^]');
      assert.deepEqual(r.labels, ['origin', 'deal.segment', 'deal.owner.team', 'cohort']);
      assert.equal(r.get('deal.segment').replace.length, 'deal.'.length);
    });
  });

  describe('in row formulas', () => {
    it('`where` over a source with relations: its columns, lookups and the row functions, no functions over periods', () => {
      const r = complete(WHERE, "where: 'big and ^'");
      for (const l of ['origin', 'cohort', 'big', 'deal', 'period', 'days_between', 'matched', 'coalesce']) assert.ok(r.labels.includes(l), l);
      for (const l of ['prev', 'rolling', 'deal.amount']) assert.ok(!r.labels.includes(l), l);
    });

    it('after `deal.` in `where`: the looked-up columns only, inserted whole', () => {
      const r = complete(WHERE, "where: 'matched(deal) and deal.^'");
      assert.ok(r.labels.every((l) => l.startsWith('deal.')), r.labels.join(', '));
      const won = r.get('deal.won_date');
      assert.ok(r.apply(won).includes("where: 'matched(deal) and deal.won_date'"));
      const partial = complete(WHERE, "where: 'deal.owner.t^ > 0'");
      assert.deepEqual(partial.labels, ['deal.owner.rep_id', 'deal.owner.team']);
      assert.ok(partial.apply(partial.get('deal.owner.team')).includes("where: 'deal.owner.team > 0'"));
    });

    it('`matched(` offers the lookups only; `period(date, ` the grains', () => {
      const r = complete(WHERE, "where: 'matched(^'");
      assert.deepEqual(r.labels, ['deal']);
      const grain = complete("cohort: 'period(first_contact, month)'", "cohort: 'period(first_contact, ^)'");
      assert.deepEqual(grain.labels, ['day', 'week', 'month', 'quarter', 'year']);
    });

    it('in `derive`: the source\'s columns but the one being defined, lookups, and after `deal.` its columns', () => {
      const r = complete('big: deal.amount >= 200', 'big: ^');
      assert.ok(r.labels.includes('cohort') && r.labels.includes('deal') && r.labels.includes('days_between'));
      assert.ok(!r.labels.includes('big'));
      const dotted = complete('days_to_close: days_between(first_contact, deal.won_date)', 'days_to_close: days_between(first_contact, deal.^)');
      assert.ok(dotted.labels.includes('deal.won_date') && !dotted.labels.includes('days_between'));
      assert.ok(dotted.apply(dotted.get('deal.won_date')).includes('days_between(first_contact, deal.won_date)'));
    });

    it('in `aggregate`: the rollup functions, then the columns of the rolled-up source inside `sum(`', () => {
      const fns = complete('won: sum(deal.amount)', 'won: ^');
      assert.deepEqual(fns.labels, ['count', 'sum', 'avg', 'min', 'max', 'count_distinct', 'first', 'last']);
      assert.equal(fns.get('count').insertText, 'count()');
      assert.equal(fns.get('sum').insertText, 'sum($1)');
      assert.equal(fns.get('sum').snippet, true);
      assert.match(fns.get('first').documentation!, /order of the rolled-up source's `time`/);
      const cols = complete('won: sum(deal.amount)', 'won: sum(^)');
      assert.ok(cols.labels.includes('origin') && cols.labels.includes('days_to_close') && cols.labels.includes('deal'));
      assert.ok(!cols.labels.includes('lead_count') && !cols.labels.includes('sum'));
      const looked = complete('won: sum(deal.amount)', 'won: sum(deal.am^)');
      assert.ok(looked.labels.includes('deal.amount') && looked.labels.every((l) => l.startsWith('deal.')));
    });

    it('no looked-up names in a KPI formula, and no row functions there', () => {
      assert.deepEqual(complete('formula: won_leads / leads', 'formula: deal.^').labels, []);
      const r = complete('formula: won_leads / leads', 'formula: won_leads / ^');
      assert.ok(r.labels.includes('leads') && r.labels.includes('prev'));
      for (const l of ['period', 'days_between', 'matched']) assert.ok(!r.labels.includes(l), l);
    });

    it('signature help for rollup functions in `aggregate` and row functions in `derive`', () => {
      const fx = fixture(relationFiles(MAIN.replace('won: sum(deal.amount)', 'won: sum(^deal.amount)')));
      const s = signatureHelp(fx.snap('main.kpi.yaml'), fx.caret('main.kpi.yaml'));
      assert.equal(s?.label, 'sum(column)');
      assert.match(s!.documentation, /rollup's `aggregate`/);
      const fx2 = fixture(relationFiles(MAIN.replace('days_between(first_contact, deal.won_date)', 'days_between(first_contact, ^deal.won_date)')));
      const d = signatureHelp(fx2.snap('main.kpi.yaml'), fx2.caret('main.kpi.yaml'));
      assert.equal(d?.label, 'days_between(a, b)');
      assert.equal(d?.active, 1);
    });
  });
});

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { tableFromText } from '../../server/src/data/readTable';
import { evaluateSpec } from '../../server/src/engine/run';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { Workspace } from '../../server/src/language/workspace';
import { definition } from '../../server/src/services/definition';
import { findReferences } from '../../server/src/services/findReferences';
import { hover } from '../../server/src/services/hover';
import { prepareRename, rename } from '../../server/src/services/rename';
import { semanticTokens } from '../../server/src/services/semanticTokens';
import { MemoryHost, ROOT } from '../helpers/memoryHost';
import { applyEdits, describeLocations, describeSpan, fixture, type Fixture } from './referencesFixture';
import { BASE, caretAt, MAIN, relationFiles } from './relationsFixture';

/** The fixture with a caret in main (or in base when `inBase`). */
function at(needle: string, shift = 0, n = 0, inBase = false): { fx: Fixture; name: string } {
  const fx = inBase ? fixture(relationFiles(MAIN, caretAt(BASE, needle, shift, n))) : fixture(relationFiles(caretAt(MAIN, needle, shift, n)));
  return { fx, name: inBase ? 'base.kpi.yaml' : 'main.kpi.yaml' };
}

function hoverText(needle: string, shift = 0, n = 0, inBase = false): { md: string; span: string } {
  const { fx, name } = at(needle, shift, n, inBase);
  const h = hover(fx.snap(name), fx.caret(name));
  assert.ok(h, `no hover at ${needle}+${shift}`);
  return { md: h.markdown, span: describeSpan(fx, fx.abs(name), h.span) };
}

function goTo(needle: string, shift = 0, n = 0, inBase = false): string[] {
  const { fx, name } = at(needle, shift, n, inBase);
  return describeLocations(fx, definition(fx.snap(name), fx.caret(name)));
}

function refs(needle: string, shift = 0, n = 0, includeDeclaration = true): string[] {
  const { fx, name } = at(needle, shift, n);
  return describeLocations(fx, findReferences(fx.ws, fx.files, fx.snap(name), fx.caret(name), includeDeclaration));
}

/** Renames at the caret and returns the new texts of base and main. */
function renamed(needle: string, shift: number, n: number, newName: string, inBase = false): { base: string; main: string; edits: string[] } {
  const { fx, name } = at(needle, shift, n, inBase);
  const r = rename(fx.ws, fx.files, fx.snap(name), fx.caret(name), newName);
  if ('error' in r) throw new Error(r.error);
  const texts = new Map<string, string>();
  for (const [file, content] of fx.host.files) if (typeof content === 'string') texts.set(file, content);
  const out = applyEdits(texts, r.edits);
  return { base: out.get(fx.abs('base.kpi.yaml'))!, main: out.get(fx.abs('main.kpi.yaml'))!, edits: r.edits.map((e) => describeSpan(fx, e.file, e.span)) };
}

/** Errors and warnings of the workspace after an edit: a rename must keep it as clean as before. */
function problems(base: string, main: string): string[] {
  const ws = new Workspace(new MemoryHost(relationFiles(main, base)), ROOT);
  return checkFiles(ws, ['base.kpi.yaml', 'main.kpi.yaml'].map((f) => path.resolve(ROOT, f))).flatMap((c) => c.problems.map((p) => `${path.basename(p.file)} ${p.rule} ${p.message}`));
}

describe('services: relations in hover, definition, references, rename and tokens', () => {
  it('the fixture checks clean', () => {
    assert.deepEqual(problems(BASE, MAIN), []);
  });

  describe('hover', () => {
    it('on a looked-up column: its type, the lookup it comes through and the data column', () => {
      const { md, span } = hoverText("where: 'matched(deal) and deal.amount", 'where: \'matched(deal) and deal.am'.length);
      assert.equal(span, 'main.kpi.yaml:26:amount');
      assert.match(md, /^\*\*looked-up column\*\* `deal\.amount` · number/);
      assert.match(md, /- Through lookup `deal` of `leads` → source `deals`/);
      assert.match(md, /- Column `amount` of `data\/deals\.csv` \(source `deals`\)/);
      assert.match(md, /Defined in `base\.kpi\.yaml`/);
    });

    it('on a chain, in `dimensions:`: every hop, and the column at the end', () => {
      const { md } = hoverText('deal.owner.team', 'deal.owner.te'.length);
      assert.match(md, /\*\*looked-up column\*\* `deal\.owner\.team` · text/);
      assert.match(md, /Through lookup `deal` of `leads` → source `deals`\n- Through lookup `owner` of `deals` → source `reps`\n- Column `team` of `data\/reps\.csv`/);
    });

    it('on a looked-up derived column: its formula', () => {
      const { md } = hoverText('column: deal.net', 'column: deal.n'.length);
      assert.match(md, /\*\*looked-up column\*\* `deal\.net` · number/);
      assert.match(md, /Derived column of source `deals`/);
      assert.match(md, /```text\namount \* 0\.9\n```/);
    });

    it('on the lookup part of a name, on `matched(deal)` and on the lookup\'s entry: the lookup', () => {
      for (const [needle, shift, n] of [['deal.won_date', 2, 0], ['matched(deal', 9, 0], ['deal: {', 1, 0]] as const) {
        const { md, span } = hoverText(needle, shift, n);
        assert.ok(span.endsWith(':deal'), span);
        assert.match(md, /^\*\*lookup\*\* `deal` of source `leads`/);
        assert.match(md, /Looks up one row of source `deals` \(`data\/deals\.csv`\) by its key `lead_id`/);
        assert.match(md, /- On: `lead_id`/);
        assert.match(md, /`deal\.won_date`, `deal\.amount`/);
      }
      assert.match(hoverText('owner: {', 1, 0, true).md, /- On: `rep` → `rep_id`/);
    });

    it('on a derived column, where it is defined and where it is used: its type and formula', () => {
      for (const [needle, shift, n] of [['days_to_close:', 3, 0], ['column: days_to_close', 10, 0], ['max(days_to_close', 6, 0]] as const) {
        const { md, span } = hoverText(needle, shift, n);
        assert.ok(span.endsWith(':days_to_close'), span);
        assert.match(md, /^\*\*derived column\*\* `days_to_close` · number/);
        assert.match(md, /```text\ndays_between\(first_contact, deal\.won_date\)\n```/);
      }
    });

    it('on an aggregate and on a rollup\'s key column', () => {
      const agg = hoverText('column: won', 'column: w'.length);
      assert.match(agg.md, /^\*\*aggregate\*\* `won` · number/);
      assert.match(agg.md, /Aggregate `sum\(deal\.amount\)` of rollup `origins`, over the rows of each key \(`origin`\) of `leads`/);
      const key = hoverText('    dimensions: [origin]', '    dimensions: [or'.length);
      assert.match(key.md, /^\*\*key column\*\* `origin` · text/);
    });

    it('with results: how many rows found their match, and the rows a rollup rolled up', () => {
      const { fx, name } = at('deal: {', 1);
      const files = relationFiles();
      const results = evaluateSpec(fx.ws, fx.abs(name), {}, { file: (p: string, o: Parameters<typeof tableFromText>[2]) => tableFromText(files[path.relative(ROOT, p)]!, p, o) });
      assert.match(hover(fx.snap(name), fx.caret(name), results)!.markdown, /- Matched: 2 of 3 rows/);
      const rollup = fx.snap(name).text.indexOf('  origins:') + 3;
      assert.match(hover(fx.snap(name), rollup, results)!.markdown, /- Rolls up `leads` \(3 rows\): one row per `origin`/);
    });

    it('on a rollup function, and on a source with relations', () => {
      const { md } = hoverText('min(first_contact', 1);
      assert.match(md, /```text\nmin\(column\)\n```/);
      assert.match(md, /rollup's `aggregate`: the smallest number or earliest date/);
      const src = hoverText('from: leads', 'from: le'.length).md;
      assert.match(src, /^\*\*source\*\* `leads`/);
      assert.match(src, /- Lookup `deal` → `deals` on `lead_id`/);
      assert.match(src, /- Derived: `days_to_close`, `cohort`, `big`/);
      const rollup = hoverText('  origins:', 3).md;
      assert.match(rollup, /- Rolls up `leads`: one row per `origin`/);
    });
  });

  describe('definition', () => {
    it('from a looked-up column: the lookup\'s entry and the header cell in the CSV', () => {
      assert.deepEqual(goTo('deal.won_date', 'deal.wo'.length), ['main.kpi.yaml:8:deal', 'data/deals.csv:1:won_date']);
      assert.deepEqual(goTo('by: [deal.segment]', 'by: [deal.s'.length), ['main.kpi.yaml:8:deal', 'data/deals.csv:1:segment']);
    });

    it('from the lookup part: the lookup\'s entry, in the file that defines it for a chain', () => {
      assert.deepEqual(goTo('deal.amount', 1), ['main.kpi.yaml:8:deal']);
      assert.deepEqual(goTo('matched(deal', 10), ['main.kpi.yaml:8:deal']);
      assert.deepEqual(goTo('deal.owner.team', 'deal.ow'.length), ['base.kpi.yaml:9:owner']);
      assert.deepEqual(goTo('deal.owner.team', 'deal.owner.t'.length), ['main.kpi.yaml:8:deal', 'data/reps.csv:1:team']);
    });

    it('from a looked-up derived column to its entry, and from derived and aggregate columns to theirs', () => {
      assert.deepEqual(goTo('column: deal.net', 'column: deal.n'.length), ['main.kpi.yaml:8:deal', 'base.kpi.yaml:11:net']);
      assert.deepEqual(goTo('column: days_to_close', 10), ['main.kpi.yaml:10:days_to_close']);
      assert.deepEqual(goTo("'lead_count", 2), ['main.kpi.yaml:21:lead_count']);
      assert.deepEqual(goTo('    dimensions: [origin]', '    dimensions: [or'.length), ['main.kpi.yaml:16:origin']);
    });

    it('from `from:` and a lookup\'s `source:` to the source; from a rollup\'s aggregate argument to the column it reads', () => {
      assert.deepEqual(goTo('from: leads', 7), ['main.kpi.yaml:4:leads']);
      assert.deepEqual(goTo('source: deals, on', 9), ['base.kpi.yaml:4:deals']);
      assert.deepEqual(goTo('min(first_contact', 6), ['data/leads.csv:1:first_contact']);
      assert.deepEqual(goTo('on: lead_id', 5), ['data/leads.csv:1:lead_id']);
      assert.deepEqual(goTo('{ rep: rep_id }', 9, 0, true), ['data/reps.csv:1:rep_id']);
    });
  });

  describe('references', () => {
    it('of a lookup: every name that goes through it, `matched(deal)`, the KPI\'s `by`, its entry first', () => {
      assert.deepEqual(refs('deal: {', 1), [
        'main.kpi.yaml:8:deal',
        'main.kpi.yaml:10:deal', 'main.kpi.yaml:12:deal', 'main.kpi.yaml:13:deal', 'main.kpi.yaml:13:deal',
        'main.kpi.yaml:20:deal',
        'main.kpi.yaml:26:deal', 'main.kpi.yaml:26:deal', 'main.kpi.yaml:27:deal', 'main.kpi.yaml:28:deal',
        'main.kpi.yaml:34:deal',
      ]);
      assert.equal(refs('deal.won_date', 1, 0, false).length, 10);
    });

    it('of a lookup of another file: its own file and the chains through it', () => {
      assert.deepEqual(refs('deal.owner.team', 'deal.ow'.length), ['base.kpi.yaml:9:owner', 'base.kpi.yaml:12:owner', 'main.kpi.yaml:13:owner']);
    });

    it('of a derived column: its entry, other formulas, metrics, the rollup, dimensions and `by`, across files', () => {
      assert.deepEqual(refs('cohort:', 2), ['main.kpi.yaml:11:cohort', 'main.kpi.yaml:13:cohort', 'main.kpi.yaml:35:cohort']);
      assert.deepEqual(refs('days_to_close:', 2), ['main.kpi.yaml:10:days_to_close', 'main.kpi.yaml:22:days_to_close', 'main.kpi.yaml:29:days_to_close']);
      assert.deepEqual(refs('column: deal.net', 'column: deal.n'.length), ['base.kpi.yaml:11:net', 'base.kpi.yaml:14:net', 'main.kpi.yaml:28:net']);
    });

    it('of a source: also in `from:` and lookups\' `source:`', () => {
      assert.deepEqual(refs('  leads:\n', 3), ['main.kpi.yaml:4:leads', 'main.kpi.yaml:15:leads', 'main.kpi.yaml:25:leads', 'main.kpi.yaml:26:leads', 'main.kpi.yaml:27:leads', 'main.kpi.yaml:28:leads', 'main.kpi.yaml:29:leads', 'main.kpi.yaml:30:leads']);
      assert.deepEqual(refs('source: deals, on', 9), ['base.kpi.yaml:4:deals', 'main.kpi.yaml:8:deals', 'base.kpi.yaml:14:deals']);
    });

    it('nothing for a looked-up data column', () => {
      assert.deepEqual(refs('deal.won_date', 'deal.wo'.length), []);
    });
  });

  describe('rename', () => {
    it('prepares the part at the cursor: a lookup, a derived or aggregate column; refuses data and key columns', () => {
      const prep = (needle: string, shift: number, n = 0) => {
        const { fx, name } = at(needle, shift, n);
        const r = prepareRename(fx.snap(name), fx.caret(name));
        return 'error' in r ? r.error : `${describeSpan(fx, fx.abs(name), r.span)} ${r.placeholder}`;
      };
      assert.equal(prep('deal.won_date', 2), 'main.kpi.yaml:10:deal deal');
      assert.equal(prep('deal.owner.team', 'deal.ow'.length), 'main.kpi.yaml:13:owner owner');
      assert.equal(prep('column: won', 'column: w'.length), 'main.kpi.yaml:32:won won');
      assert.equal(prep('cohort]', 2), 'main.kpi.yaml:13:cohort cohort');
      assert.match(prep('deal.won_date', 'deal.wo'.length), /`won_date` is a column of the data of `data\/deals\.csv`/);
      assert.match(prep('    dimensions: [origin]', '    dimensions: [or'.length), /`origin` is a column of the data of `data\/leads\.csv`/);
      assert.equal(prep('matched(deal)', 'matched(de'.length), 'main.kpi.yaml:26:deal deal');
      const fx = fixture(relationFiles(MAIN.replace("'matched(deal)", "'matched(no^pe)")));
      const unknown = prepareRename(fx.snap('main.kpi.yaml'), fx.caret('main.kpi.yaml'));
      assert.ok('error' in unknown && /`nope` is not a lookup of the source/.test(unknown.error), JSON.stringify(unknown));
    });

    it('renames a lookup everywhere it is named, and the workspace stays clean', () => {
      const r = renamed('deal.amount >= 200', 2, 0, 'won_deal');
      assert.equal(r.base, BASE);
      assert.equal(r.main, MAIN
        .replace('deal: { source', 'won_deal: { source')
        .replace('deal.won_date)', 'won_deal.won_date)')
        .replace('big: deal.amount', 'big: won_deal.amount')
        .replace('[origin, deal.segment, deal.owner.team', '[origin, won_deal.segment, won_deal.owner.team')
        .replace('sum(deal.amount)', 'sum(won_deal.amount)')
        .replace("'matched(deal) and deal.amount > 0'", "'matched(won_deal) and won_deal.amount > 0'")
        .replace('column: deal.amount', 'column: won_deal.amount')
        .replace('column: deal.net', 'column: won_deal.net')
        .replace('by: [deal.segment]', 'by: [won_deal.segment]'));
      assert.deepEqual(problems(r.base, r.main), []);
    });

    it('renames a lookup of the imported file from a chain, in both files', () => {
      const r = renamed('deal.owner.team', 'deal.ow'.length, 0, 'seller');
      assert.equal(r.base, BASE.replace('owner: {', 'seller: {').replace('owner.team]', 'seller.team]'));
      assert.equal(r.main, MAIN.replace('deal.owner.team', 'deal.seller.team'));
      assert.deepEqual(problems(r.base, r.main), []);
    });

    it('renames a derived column of the imported file from a looked-up use', () => {
      const r = renamed('column: deal.net', 'column: deal.n'.length, 0, 'net_amount');
      assert.equal(r.base, BASE.replace('net: amount', 'net_amount: amount').replace('column: net', 'column: net_amount'));
      assert.equal(r.main, MAIN.replace('column: deal.net', 'column: deal.net_amount'));
      assert.deepEqual(problems(r.base, r.main), []);
    });

    it('renames a derived column from its entry: formulas, dimensions, metrics, rollups and `by`', () => {
      const r = renamed('days_to_close:', 0, 0, 'close_days');
      assert.deepEqual(r.edits, ['main.kpi.yaml:10:days_to_close', 'main.kpi.yaml:22:days_to_close', 'main.kpi.yaml:29:days_to_close']);
      const c = renamed('cohort:', 0, 0, 'lead_month');
      assert.equal(c.main, MAIN.replace("cohort: 'period", "lead_month: 'period").replace(', cohort]', ', lead_month]').replace('by: [cohort]', 'by: [lead_month]'));
      assert.deepEqual(problems(c.base, c.main), []);
    });

    it('renames an aggregate column, in metric filters too', () => {
      const r = renamed("'lead_count", 1, 0, 'leads_seen');
      assert.equal(r.main, MAIN.replace('lead_count: count()', 'leads_seen: count()').replace("'lead_count >= 1'", "'leads_seen >= 1'"));
      assert.deepEqual(problems(r.base, r.main), []);
    });

    it('renames a source in `from:` and lookups\' `source:` too', () => {
      const r = renamed('  deals:', 2, 0, 'won_deals', true);
      assert.equal(r.base, BASE.replace('  deals:', '  won_deals:').replace('source: deals', 'source: won_deals'));
      assert.equal(r.main, MAIN.replace('source: deals', 'source: won_deals'));
      const l = renamed('from: leads', 7, 0, 'prospects');
      assert.equal(l.main, MAIN.replace('  leads:\n', '  prospects:\n').replace('from: leads', 'from: prospects').replace(/source: leads/g, 'source: prospects'));
      assert.deepEqual(problems(l.base, l.main), []);
    });

    it('refuses a name taken by a lookup or a column of the source, and an invalid one', () => {
      const error = (needle: string, shift: number, newName: string) => {
        const { fx, name } = at(needle, shift);
        const r = rename(fx.ws, fx.files, fx.snap(name), fx.caret(name), newName);
        assert.ok('error' in r, JSON.stringify(r));
        return r.error;
      };
      assert.match(error('cohort:', 1, 'origin'), /source `leads` in main\.kpi\.yaml already has a column `origin`/);
      assert.match(error('cohort:', 1, 'big'), /already has a column `big`/);
      assert.match(error('lead_count:', 1, 'won'), /source `origins` in main\.kpi\.yaml already has a column `won`/);
      assert.match(error('deal: {', 1, 'Deal'), /not a valid id/);
      const fx = fixture(relationFiles(MAIN.replace('      deal: { source: deals, on: lead_id }\n', '      deal: { source: deals, on: lead_id }\n      o^ther: { source: deals, on: lead_id }\n')));
      const r = rename(fx.ws, fx.files, fx.snap('main.kpi.yaml'), fx.caret('main.kpi.yaml'), 'deal');
      assert.ok('error' in r && /already has a lookup `deal`/.test(r.error), JSON.stringify(r));
    });
  });

  it('semantic tokens: lookups, derived and aggregate columns in row formulas and looked-up names', () => {
    const fx = fixture(relationFiles());
    const snap = fx.snap('main.kpi.yaml');
    const line = (marker: string) => {
      const start = snap.text.indexOf(marker);
      const end = snap.text.indexOf('\n', start);
      return semanticTokens(snap).filter((t) => t.span.offset >= start && t.span.offset < end).map((t) => `${snap.text.slice(t.span.offset, t.span.offset + t.span.length)}:${t.type}`);
    };
    assert.deepEqual(line('days_to_close: days'), ['days_between:function', 'first_contact:column', 'deal:lookup', 'won_date:column']);
    assert.deepEqual(line("cohort: 'period"), ['period:function', 'first_contact:column', 'month:keyword']);
    assert.deepEqual(line('    dimensions: [origin, deal'), ['deal:lookup', 'deal:lookup', 'owner:lookup']);
    assert.deepEqual(line('slowest:'), ['max:function', 'days_to_close:derived']);
    assert.deepEqual(line('  won_leads:'), ['matched:function', 'deal:lookup', 'and:operator', 'deal:lookup', 'amount:column', '>:operator', '0:number']);
    assert.deepEqual(line('  big_deals:'), ['big:derived']);
    assert.deepEqual(line('  origins: { source'), ['lead_count:derived', '>=:operator', '1:number']);
    assert.deepEqual(line('  conversion:'), ['won_leads:metric', '/:operator', 'leads:metric', 'deal:lookup']);
    assert.deepEqual(line('  lead_net:'), ['deal:lookup']);
  });
});

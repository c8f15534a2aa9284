import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CancellationTokenSource, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, ErrorCodes, HoverRequest, LSPErrorCodes, ResponseError,
  type Hover, type MarkupContent,
} from 'vscode-languageserver-protocol';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import { evaluateSpec, type EvalOptions } from '../../server/src/engine/run';
import { explainKpis, type Explanation } from '../../server/src/explain';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { Workspace } from '../../server/src/language/workspace';
import { ExplainKpiRequest, type ExplainParams, type ExplainResult } from '../../server/src/protocol';
import { escapeMarkdown } from '../../server/src/services/hoverMarkdown';
import { REPO } from '../helpers/runCli';
import { TestClient } from './client';

const ROOT = path.join(REPO, 'samples');
const FILE = path.join(ROOT, 'webshop.kpi.yaml');
const URI = `file://${FILE}`;
const TEXT = fs.readFileSync(FILE, 'utf8');

/** Where `needle` starts in text, plus `delta` characters. */
function positionOf(text: string, needle: string, delta = 0) {
  const before = text.slice(0, text.indexOf(needle) + delta).split('\n');
  return { line: before.length - 1, character: before.at(-1)!.length };
}

/** `kpispec explain` in process, as the CLI computes it: the KPI evaluated alone, then explained. */
function explainInProcess(kpi: string, options: EvalOptions = {}, choice: { period?: string; vs?: string } = {}): Explanation {
  const ws = new Workspace(new NodeHost(), ROOT);
  const cache = new TableCache();
  const data = { file: cache.file.bind(cache), memo: cache.memo, keysAsKept: true };
  const asked = { ...options, kpis: [kpi] };
  const result = evaluateSpec(ws, FILE, asked, data, checkFiles(ws, [FILE]).flatMap((r) => r.problems));
  return explainKpis(ws, FILE, result, asked, data, { kpis: [kpi], ...choice })[0]!;
}

describe('kpispec/explain and the hover’s driver sentence (the sample over stdio)', function () {
  this.timeout(120_000);
  let client: TestClient;
  let version = 1;
  const explain = (params: Partial<ExplainParams> | Record<string, unknown>, token?: CancellationTokenSource) =>
    client.connection.sendRequest(ExplainKpiRequest, { uri: URI, ...params } as ExplainParams, token?.token) as Promise<ExplainResult | null>;
  const refused = (params: Record<string, unknown>) => explain(params).then(() => assert.fail(`${JSON.stringify(params)} was accepted`), (e: ResponseError<unknown>) => e);
  const hoverAt = async (needle: string, delta: number) =>
    ((await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: positionOf(TEXT, needle, delta) })) as Hover).contents as MarkupContent;

  before(async () => {
    client = new TestClient();
    await client.initialize(ROOT);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'kpispec', version: 1, text: TEXT } });
  });
  after(async () => client.stop());

  it('explains a ratio KPI by default as `kpispec explain` does: latest complete month vs the one before, rate and mix per group', async () => {
    const answer = await explain({ kpi: 'conversion_rate' });
    assert.ok(answer);
    const expected = explainInProcess('conversion_rate');
    assert.deepEqual(answer.explanation, expected);
    assert.equal(answer.explanation.kind, 'ratio');
    assert.deepEqual(answer.explanation.dimensions.map((d) => d.dimension), ['channel', 'device']);
    for (const d of answer.explanation.dimensions) {
      for (const g of d.groups) assert.ok(Math.abs(g.rate! + g.mix! - g.contribution) < 1e-12, `${d.dimension} ${g.group}: rate + mix = part`);
      assert.ok(Math.abs(d.groups.reduce((s, g) => s + g.contribution, 0) + d.residual - answer.explanation.change!) < 1e-12, 'the parts add up to the change');
    }
    assert.match(answer.explanation.summary, /^−0\.36 pp: mobile conversion rate fell from 2\.61% to 2\.11% \(−0\.32 pp\)/);
    assert.equal(answer.grain, 'month');
    assert.deepEqual(answer.kpi, { id: 'conversion_rate', title: expected.title, format: 'percent', decimals: 2, direction: 'up' });
    // The periods to pick from: those with a value, oldest first, the explained one among them.
    assert.ok(answer.periods.length >= 12);
    assert.ok(answer.periods.some((p) => p.key === answer.explanation.period));
    assert.deepEqual([...answer.periods.map((p) => p.key)].sort(), answer.periods.map((p) => p.key));
  });

  it('explains another period against the same one a year before, at another grain and by another dimension', async () => {
    const cases: [Partial<ExplainParams>, EvalOptions, { period?: string; vs?: string }][] = [
      [{ kpi: 'total_revenue', period: '2026-09', vs: 'yoy' }, {}, { period: '2026-09', vs: 'yoy' }],
      [{ kpi: 'conversion_rate', grain: 'quarter', by: 'region', vs: 'prev' }, { grain: 'quarter', by: 'region' }, { vs: 'prev' }],
      [{ kpi: 'clv_cac_ratio' }, {}, {}],
    ];
    for (const [params, options, choice] of cases) {
      const answer = await explain(params);
      assert.ok(answer, JSON.stringify(params));
      assert.deepEqual(answer.explanation, explainInProcess(params.kpi!, options, choice), JSON.stringify(params));
    }
    const yoy = (await explain({ kpi: 'total_revenue', period: '2026-09', vs: 'yoy' }))!.explanation;
    assert.equal(yoy.base, '2025-09');
    assert.equal(yoy.vs, 'yoy');
    const derived = (await explain({ kpi: 'clv_cac_ratio' }))!.explanation;
    assert.equal(derived.kind, 'derived');
    assert.deepEqual(derived.inputs!.inputs.map((i) => i.input).sort(), ['cac', 'clv']);
  });

  it('says in the notes when the periods asked for are not in the results', async () => {
    const answer = await explain({ kpi: 'conversion_rate', period: '2019-01' });
    assert.ok(answer);
    assert.equal(answer.explanation.change, null);
    assert.match(answer.explanation.notes[0]!, /period "2019-01" is not in the results/);
  });

  it('refuses invalid params with InvalidParams naming the field; a document that is not a spec answers null', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{}, /^kpi must be the id of a KPI/],
      [{ kpi: 7 }, /^kpi must be the id of a KPI/],
      [{ kpi: 'conversion_rate', grain: 'all' }, /^grain must be one of day, week, month, quarter, year/],
      [{ kpi: 'conversion_rate', grain: 'century' }, /^grain must be one of/],
      [{ kpi: 'conversion_rate', period: 'last month' }, /^period must be a period such as/],
      [{ kpi: 'conversion_rate', vs: 'lastyear' }, /^vs must be prev, yoy or a period/],
      [{ kpi: 'conversion_rate', by: '' }, /^by must be the name of a dimension/],
      [{ kpi: 'no_such_kpi' }, /^kpi must be the id of a KPI that webshop\.kpi\.yaml defines; `no_such_kpi` is not one$/],
    ];
    for (const [params, message] of cases) {
      const e = await refused(params);
      assert.equal(e.code, ErrorCodes.InvalidParams, JSON.stringify(params));
      assert.match(e.message, message, JSON.stringify(params));
    }
    const notSpec = await client.connection.sendRequest(ExplainKpiRequest, { uri: `file://${path.join(ROOT, 'data', 'web_sessions.csv')}`, kpi: 'conversion_rate' });
    assert.equal(notSpec, null);
  });

  it('adds the driver sentence of the latest complete period to a KPI’s hover, as text', async () => {
    // Asked first, the explanation is the one the hover uses (kept with the KPI's results): the
    // hover then has it however long it took.
    const answer = (await explain({ kpi: 'conversion_rate' }))!;
    const x = answer.explanation;
    const hover = await hoverAt('  conversion_rate:\n', 4);
    const why = `**Why** (\`${x.period}\` vs \`${x.base}\`): ${escapeMarkdown(x.summary)}`;
    assert.ok(hover.value.includes(why), `the hover says why:\n${hover.value}`);
    // After the latest value, as its explanation.
    assert.ok(hover.value.indexOf('**Latest') < hover.value.indexOf('**Why**'));
    // At a formula's reference to a KPI too.
    const ref = await hoverAt('formula: clv / cac', 'formula: '.length + 1);
    assert.match(ref.value, /^\*\*KPI\*\* `clv`/);
    // A KPI with nothing to explain (a source without time: one period) has no such line; an
    // open document that is not on disk.
    const other = path.join(ROOT, 'not-on-disk.kpi.yaml');
    const text = 'kpispec: 1\nsources:\n  s: { rows: [{ n: 1 }, { n: 2 }] }\nmetrics:\n  total: { source: s, agg: sum, column: n }\nkpis:\n  total_n: { formula: total }\n';
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: `file://${other}`, languageId: 'kpispec', version: 1, text } });
    const single = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: `file://${other}` }, position: positionOf(text, 'total_n', 2) })) as Hover;
    assert.match((single.contents as MarkupContent).value, /\*\*Latest \(`all`\): `3`\*\*/);
    assert.doesNotMatch((single.contents as MarkupContent).value, /\*\*Why\*\*/);
    assert.match((await explain({ uri: `file://${other}`, kpi: 'total_n' }))!.explanation.summary, /^nothing to explain: its sources have no time column/);
  });

  it('a hover that comes before its explanation has it once worked out; after an edit, anew', async () => {
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: URI, version: ++version }, contentChanges: [{ text: `${TEXT}# an edit\n` }] });
    const first = await hoverAt('  total_revenue:\n', 4);
    assert.match(first.value, /\*\*Latest/);
    // Whether the first hover had it depends on the machine's speed; once the explanation is
    // worked out (the request waits for the same one), every hover has it.
    const answer = (await explain({ kpi: 'total_revenue' }))!;
    const again = await hoverAt('  total_revenue:\n', 4);
    assert.ok(again.value.includes(escapeMarkdown(answer.explanation.summary)), again.value);
    if (first.value.includes('**Why**')) assert.equal(first.value, again.value);
  });

  it('answers RequestCancelled when cancelled', async () => {
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: URI, version: ++version }, contentChanges: [{ text: `${TEXT}# another edit\n` }] });
    const cancel = new CancellationTokenSource();
    const pending = explain({ kpi: 'conversion_rate', grain: 'week', by: 'channel' }, cancel).then(() => undefined, (e: ResponseError<unknown>) => e);
    cancel.cancel();
    const error = await pending;
    assert.equal(error?.code, LSPErrorCodes.RequestCancelled, `answered ${JSON.stringify(error)}`);
  });
});

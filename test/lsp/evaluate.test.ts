import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CancellationTokenSource, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, DocumentSymbolRequest, ErrorCodes, HoverRequest, LSPErrorCodes, ResponseError,
  type Hover,
} from 'vscode-languageserver-protocol';
import type { EvalResult } from '../../server/src/engine/results';
import { pointsOf } from '../../server/src/lsp/budget';
import { EvaluateRequest, POINT_BUDGET, type EvaluateDelta, type EvaluateParams, type EvaluateResult } from '../../server/src/protocol';
import { applyDelta } from '../../server/src/engine/delta';
import { REPO } from '../helpers/runCli';
import { evaluate as evaluateInProcess } from '../webview/harness';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import { evaluateSpec } from '../../server/src/engine/run';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { Workspace } from '../../server/src/language/workspace';
import { OverlayHost } from '../../server/src/lsp/overlayHost';
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

describe('kpispec/evaluate: params, size budget and cancellation (the sample over stdio)', function () {
  this.timeout(120_000);
  let client: TestClient;
  let version = 1;
  /** A new version of the document: earlier results no longer count. */
  const edit = (text: string) => client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: URI, version: ++version }, contentChanges: [{ text }] });
  const evaluate = (params: Partial<EvaluateParams> | Record<string, unknown>, token?: CancellationTokenSource) =>
    client.connection.sendRequest(EvaluateRequest, { uri: URI, ...params } as EvaluateParams, token?.token) as Promise<EvaluateResult>;
  const refused = (params: Record<string, unknown>) => evaluate(params).then(() => assert.fail(`${JSON.stringify(params)} was accepted`), (e: ResponseError<unknown>) => e);

  before(async () => {
    client = new TestClient();
    await client.initialize(ROOT);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'kpispec', version: 1, text: TEXT } });
  });
  after(async () => client.stop());

  it('refuses invalid params with InvalidParams naming the field and what it allows', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ grain: 'century' }, /^grain must be one of day, week, month, quarter, year, all$/],
      [{ grain: 3 }, /^grain must be one of/],
      [{ last: 0 }, /^last must be a whole number of periods, 1 or more$/],
      [{ last: 2.5 }, /^last must be/],
      [{ last: '12' }, /^last must be/],
      [{ from: 'yesterday' }, /^from must be a period such as 2026, 2026-Q1, 2026-01, 2026-W05 or 2026-01-15$/],
      [{ to: '2026-13' }, /^to must be a period/],
      [{ from: '2026-06', to: '2026-01' }, /^from must be a period not after to \(2026-01\)$/],
      [{ by: 42 }, /^by must be the name of a dimension/],
      [{ by: '' }, /^by must be the name of a dimension/],
      [{ uri: 7 }, /^uri must be a string$/],
      [{ known: 0 }, /^known must be the resultId of earlier results/],
      [{ known: 'x' }, /^known must be the resultId of earlier results/],
    ];
    for (const [params, message] of cases) {
      const e = await refused(params);
      assert.equal(e.code, ErrorCodes.InvalidParams, JSON.stringify(params));
      assert.match(e.message, message, JSON.stringify(params));
    }
  });

  it('answers the default month view whole, as evaluated in process', async () => {
    const answer = await evaluate({});
    assert.equal(answer.truncated, undefined);
    const full = evaluateInProcess('samples/webshop.kpi.yaml');
    assert.equal(pointsOf(answer), pointsOf(full));
    assert.deepEqual(answer.kpis.map((k) => k.latest), full.kpis.map((k) => k.latest));
  });

  it('summarises a day-by-channel answer within the budget and says so; latest values stay whole', async () => {
    const options = { grain: 'day', by: 'channel' } as const;
    const full: EvalResult = evaluateInProcess('samples/webshop.kpi.yaml', options);
    const answer = await evaluate(options);
    const size = JSON.stringify(answer).length;
    assert.ok(answer.truncated, 'the answer says it was summarised');
    assert.equal(answer.truncated.total, pointsOf(full));
    assert.equal(answer.truncated.kept, pointsOf(answer));
    assert.ok(answer.truncated.kept <= POINT_BUDGET, `${answer.truncated.kept} values`);
    assert.match(answer.truncated.reason, /every series shows its last \d+ of 669 periods/);
    assert.ok(size < 6_000_000, `${size} bytes (the full results: ${JSON.stringify(full).length})`);
    assert.deepEqual(answer.periods, full.periods.slice(-answer.periods.length));
    assert.deepEqual(answer.kpis.map((k) => k.latest), full.kpis.map((k) => k.latest));
    assert.deepEqual(answer.goals, full.goals);
  });

  it('answers RequestCancelled at once when a running evaluation is cancelled, then evaluates again for a hover', async () => {
    await edit(`${TEXT}# an edit\n`);
    const cancel = new CancellationTokenSource();
    const pending = evaluate({ grain: 'day', by: 'device' }, cancel).then(() => undefined, (e: ResponseError<unknown>) => e);
    // Answered in order: once this is, the evaluation has been handed to the worker.
    await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: URI } });
    const t0 = Date.now();
    cancel.cancel();
    const error = await pending;
    const ms = Date.now() - t0;
    assert.equal(error?.code, LSPErrorCodes.RequestCancelled, `answered ${JSON.stringify(error)}`);
    assert.ok(ms < 1_000, `the cancelled request was answered after ${ms} ms`);
    const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: positionOf(TEXT, '  bounce_rate:\n', 4) })) as Hover;
    assert.match(JSON.stringify(h.contents), /Latest \(`2026-10`\)/);
  });

  it('after target, title, formula and whole-file edits, answers what a fresh evaluation of each text gives', async () => {
    const texts = [
      TEXT.replace(/(  bounce_rate:[\s\S]*?(?:max|min): )(\d+)/, (_, a: string, n: string) => `${a}${Number(n) + 3}`),
      TEXT.replace(/(  bounce_rate:[\s\S]*?title: )([^\n]*)/, '$1Renamed bounce rate'),
      TEXT.replace(/(  bounce_rate:[\s\S]*?formula: )([^\n]*)/, '$1($2) * 2'),
      `# a comment line first\n${TEXT}`,
      TEXT,
    ];
    for (const [i, text] of texts.entries()) {
      assert.notEqual(i < 4 ? text : '', TEXT, `edit ${i} changes the text`);
      await edit(text);
      const answer = await evaluate({});
      const host = new OverlayHost(new NodeHost());
      host.setOpen(FILE, text);
      const ws = new Workspace(host, ROOT);
      const fresh = evaluateSpec(ws, FILE, {}, new TableCache(), checkFiles(ws, [FILE]).flatMap((r) => r.problems));
      const { resultId, ...results } = answer;
      assert.ok(resultId, 'whole results name themselves');
      assert.deepEqual(results, fresh, `edit ${i}`);
    }
  });

  it('answers a client that holds earlier results (`known`) with what changed: one KPI after a target edit', async () => {
    await edit(TEXT);
    const first = await evaluate({});
    assert.ok(first.resultId, 'whole results name themselves');
    const text = TEXT.replace('{ from: 2026-01, max: 44% }', '{ from: 2026-01, max: 41% }');
    assert.notEqual(text, TEXT);
    await edit(text);
    const answer = (await client.connection.sendRequest(EvaluateRequest, { uri: URI, known: first.resultId })) as unknown as EvaluateDelta;
    assert.ok(answer.delta, 'a delta');
    assert.deepEqual(answer.delta.kpis.map((k) => k.id), ['bounce_rate']);
    assert.equal(answer.delta.base, first.resultId);
    const merged = applyDelta(first, answer.delta);
    const host = new OverlayHost(new NodeHost());
    host.setOpen(FILE, text);
    const ws = new Workspace(host, ROOT);
    const fresh = evaluateSpec(ws, FILE, {}, new TableCache(), checkFiles(ws, [FILE]).flatMap((r) => r.problems));
    assert.deepEqual(merged, fresh);
    // Results the server does not hold (or other controls): whole again.
    const whole = await evaluate({ known: 999_999 });
    assert.ok(whole.kpis && whole.resultId);
    const other = await evaluate({ grain: 'quarter', known: answer.delta.epoch });
    assert.ok(other.kpis && !('delta' in other), 'other controls: whole');
    await edit(TEXT);
  });

  it('ends an evaluation of an older version when the same one is asked for a newer version: both get the newer results', async () => {
    const options = { grain: 'day', by: 'channel', last: 400 } as const;
    const older = evaluate(options);
    await edit(TEXT.replace(/^name: .*$/m, 'name: Renamed scorecard'));
    const newer = evaluate(options);
    const [a, b] = await Promise.all([older, newer]);
    assert.equal(a.spec.name, 'Renamed scorecard', 'the older request answers with the newer version, not its own');
    assert.equal(b.spec.name, 'Renamed scorecard');
  });
});

describe('hover with values before any whole results (a new server, the sample over stdio)', function () {
  this.timeout(120_000);
  let client: TestClient;
  const hoverAt = async (needle: string, delta: number) =>
    JSON.stringify(((await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: positionOf(TEXT, needle, delta) })) as Hover).contents);

  before(async () => {
    client = new TestClient();
    await client.initialize(ROOT);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'kpispec', version: 1, text: TEXT } });
  });
  after(async () => client.stop());

  it('shows a KPI\'s latest value from that KPI alone, as the whole results show it', async () => {
    // At a KPI's id, at a KPI named in another's formula, at a goal's member.
    const places: [string, number][] = [['  bounce_rate:\n', 4], ['  traffic_growth:\n', 4], ['      ad_roi: { weight: 2', 8]];
    const alone: string[] = [];
    for (const [needle, delta] of places) alone.push(await hoverAt(needle, delta));
    for (const text of alone) assert.match(text, /Latest \(`\d{4}-\d{2}`\)/);
    const whole = await client.connection.sendRequest(EvaluateRequest, { uri: URI } as EvaluateParams) as EvaluateResult;
    assert.ok(whole.kpis.length > 30, 'the whole results');
    for (const [i, [needle, delta]] of places.entries()) assert.equal(await hoverAt(needle, delta), alone[i], `hover at ${needle.trim()}`);
  });
});

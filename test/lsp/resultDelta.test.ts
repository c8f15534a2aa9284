import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeHost } from '../../server/src/data/nodeHost';
import { TableCache } from '../../server/src/data/tableCache';
import { KpiReuse } from '../../server/src/engine/reuse';
import { evaluateSpec } from '../../server/src/engine/run';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { Workspace } from '../../server/src/language/workspace';
import { withinBudget } from '../../server/src/lsp/budget';
import { OverlayHost } from '../../server/src/lsp/overlayHost';
import { applyDelta } from '../../server/src/engine/delta';
import { answerFor, type Sent } from '../../server/src/lsp/resultDelta';
import { REPO } from '../helpers/runCli';

/**
 * The worker answers with the KPIs that changed since the results the server holds: after a
 * target edit, that KPI alone, and the server's merge gives the whole new results.
 */
describe('evaluation worker: answers as deltas on the results the server holds', () => {
  const root = path.join(REPO, 'samples');
  const file = path.join(root, 'webshop.kpi.yaml');
  const text0 = fs.readFileSync(file, 'utf8');
  const host = new OverlayHost(new NodeHost());
  const ws = new Workspace(host, root, { modelOnly: true });
  const tables = new TableCache();
  const data = { file: tables.file.bind(tables), memo: tables.memo, reuse: new KpiReuse() };
  const run = (text: string, options = {}) => {
    host.setOpen(file, text);
    ws.forget(file);
    const checker = new Workspace(new OverlayHost(new NodeHost()), root);
    (checker.host as OverlayHost).setOpen(file, text);
    const result = evaluateSpec(ws, file, options, data, checkFiles(checker, [file]).flatMap((r) => r.problems));
    return { made: result.kpis, answer: withinBudget(result) };
  };

  it('sends the one KPI a target edit changes, and the merge equals the whole results', () => {
    const first = run(text0);
    const a = answerFor(first.answer, first.made, undefined, undefined);
    assert.ok(a.result && !a.delta, 'the first answer is whole');
    const text1 = text0.replace('{ from: 2026-01, max: 44% }', '{ from: 2026-01, max: 41% }');
    assert.notEqual(text1, text0);
    const second = run(text1);
    const b = answerFor(second.answer, second.made, a.sent, a.sent.epoch);
    assert.deepEqual(b.delta?.kpis.map((k) => k.id), ['bounce_rate']);
    assert.equal(b.delta!.base, a.sent.epoch);
    assert.deepEqual(applyDelta(a.result!, b.delta!), second.answer);
    assert.equal(second.answer.kpis.find((k) => k.id === 'bounce_rate')!.latest.target?.max, 0.41);
  });

  it('sends only the new places of KPIs below an edit that changed the length of the text', () => {
    const first = run(text0);
    const a = answerFor(first.answer, first.made, undefined, undefined);
    const text1 = text0.replace(/(\n {2}pv:\n {4}title: )/, '$1Renamed ');
    const edited = 'pv';
    assert.notEqual(text1, text0);
    assert.equal(first.answer.kpis[0]!.id, edited, 'the first KPI');
    const second = run(text1);
    const b = answerFor(second.answer, second.made, a.sent, a.sent.epoch);
    assert.deepEqual(b.delta?.kpis.map((k) => k.id), [edited]);
    assert.equal(b.delta!.moved.length, second.answer.kpis.length - 1);
    assert.ok(b.delta!.moved.every(([, at]) => at.offset > text1.indexOf('Renamed ')));
    assert.deepEqual(applyDelta(a.result!, b.delta!), second.answer);
  });

  it('answers whole when the server does not hold the results the worker sent last, or the periods differ', () => {
    const first = run(text0);
    const a = answerFor(first.answer, first.made, undefined, undefined);
    const second = run(text0.replace('max: 44%', 'max: 43%'));
    const sent: Sent = a.sent;
    assert.ok(answerFor(second.answer, second.made, sent, undefined).result, 'nothing held');
    assert.ok(answerFor(second.answer, second.made, sent, sent.epoch - 1).result, 'older results held');
    const byDay = run(text0.replace('max: 44%', 'max: 43%'), { last: 3 });
    assert.ok(answerFor(byDay.answer, byDay.made, sent, sent.epoch).result, 'other periods');
  });
});

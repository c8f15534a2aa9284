import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkFiles } from '../../server/src/language/analysis/analyze';
import { judgeLocale, usableLocale } from '../../server/src/language/locale';
import { Workspace } from '../../server/src/language/workspace';
import { codeActions } from '../../server/src/services/codeActions';
import { completions } from '../../server/src/services/completion';
import { snapshotOf } from '../../server/src/services/snapshot';
import { MemoryHost, ROOT } from '../helpers/memoryHost';
import { atCaret } from '../services/completionFixture';

const spec = (locale: string) => `kpispec: 1\ndefaults: { grain: month, currency: CNY, locale: ${locale} }\n`;

function check(text: string) {
  const ws = new Workspace(new MemoryHost({ 'a.kpi.yaml': text }), ROOT);
  const file = path.resolve(ROOT, 'a.kpi.yaml');
  return { ws, file, problems: checkFiles(ws, [file])[0]!.problems };
}

describe('language: defaults.locale', () => {
  it('reads the locale into the model, absent when not written', () => {
    const ws = new Workspace(new MemoryHost({ 'a.kpi.yaml': spec('zh-CN'), 'b.kpi.yaml': 'kpispec: 1\n' }), ROOT);
    assert.equal(ws.load(path.resolve(ROOT, 'a.kpi.yaml')).parsed?.spec.defaults.locale, 'zh-CN');
    assert.equal(ws.load(path.resolve(ROOT, 'b.kpi.yaml')).parsed?.spec.defaults.locale, undefined);
  });

  it('accepts tags Intl formats, in canonical case', () => {
    for (const tag of ['zh-CN', 'en-US', 'de-DE', 'fr-FR', 'ja-JP', 'zh-Hant-TW', 'de']) assert.deepEqual(judgeLocale(tag), { ok: true, tag }, tag);
    assert.deepEqual(judgeLocale('zh-cn'), { ok: true, tag: 'zh-CN' });
    assert.equal(usableLocale(undefined), undefined);
  });

  it('refuses a malformed tag and an unknown language, with the tag most likely meant', () => {
    assert.deepEqual(judgeLocale('zh_CN'), { ok: false, reason: 'malformed', suggestion: 'zh-CN' });
    assert.deepEqual(judgeLocale('CN'), { ok: false, reason: 'unsupported', suggestion: 'zh-CN' }, 'a region alone');
    assert.deepEqual(judgeLocale('xx'), { ok: false, reason: 'unsupported', suggestion: undefined });
    assert.equal(usableLocale('zh_CN'), undefined);
  });

  it('reports invalid-locale as a warning on the value, with a quick fix to the suggestion', () => {
    const text = spec('zh_CN');
    const { ws, file, problems } = check(text);
    const found = problems.filter((p) => p.rule === 'invalid-locale');
    assert.equal(found.length, 1);
    const p = found[0]!;
    assert.equal(p.severity, 'warning');
    assert.equal(text.slice(p.span.offset, p.span.offset + p.span.length), 'zh_CN');
    assert.equal(p.message, '`zh_CN` is not a BCP 47 language tag (did you mean `zh-CN`?); values are shown in the default format');
    const snap = snapshotOf(ws, file);
    const fix = codeActions(snap!, problems, p.span).find((a) => a.title === 'Change to `zh-CN`');
    assert.ok(fix, 'quick fix offered');
  });

  it('says which tags to use when nothing is close', () => {
    const p = check(spec('klingon')).problems.find((x) => x.rule === 'invalid-locale');
    assert.equal(p?.message, '`klingon` names no language this runtime can format numbers for; use a tag such as `zh-CN`, `en-US` or `de-DE`; values are shown in the default format');
  });

  it('finds nothing to report for a good tag or none', () => {
    assert.deepEqual(check(spec('de-DE')).problems.filter((p) => p.rule === 'invalid-locale'), []);
    assert.deepEqual(check('kpispec: 1\n').problems.filter((p) => p.rule === 'invalid-locale'), []);
  });

  it('completes common tags after `locale:`, each with a sample of how it writes values', () => {
    const { snap, offset } = atCaret('kpispec: 1\ndefaults:\n  locale: zh^\n', {});
    const items = completions(snap, offset);
    const zh = items.find((i) => i.label === 'zh-CN');
    assert.equal(zh?.detail, '123.46万 · 23.70%');
    assert.equal(items.find((i) => i.label === 'de-DE')?.detail, '1.234.567,9 · 23,70\u00a0%');
  });
});

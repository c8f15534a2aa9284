import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

/**
 * The TextMate grammar (syntaxes/kpispec.tmLanguage.json) tokenized the way VS Code does it, on
 * top of VS Code's own YAML grammar (taken from the code-server that scripts/install-editor.sh
 * installs): YAML stays YAML, and formula values get formula scopes.
 */
const REPO = resolve(__dirname, '../..');
const cache = process.env.KPISPEC_EDITOR_CACHE || join(homedir(), '.cache', 'kpispec-editor');
const YAML_DIR = join(cache, 'code-server/node_modules/code-server/lib/vscode/extensions/yaml/syntaxes');
const YAML_GRAMMAR = join(YAML_DIR, 'yaml.tmLanguage.json');
/** Where each grammar lives, as VS Code's YAML extension registers them. */
function grammarFile(scope: string): string | undefined {
  if (scope === 'source.kpispec') return join(REPO, 'syntaxes/kpispec.tmLanguage.json');
  if (scope === 'source.yaml') return YAML_GRAMMAR;
  const m = /^source\.yaml\.(1\.[0-3]|embedded)$/.exec(scope);
  return m ? join(YAML_DIR, `yaml-${m[1]}.tmLanguage.json`) : undefined;
}

describe('TextMate grammar: formulas inside YAML', () => {
  let grammar: textmate.IGrammar;

  before(async () => {
    if (!existsSync(YAML_GRAMMAR)) throw new Error(`VS Code's YAML grammar not found at ${YAML_GRAMMAR}: run scripts/install-editor.sh`);
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
      loadGrammar: async (scope) => {
        const file = grammarFile(scope);
        return file ? textmate.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
      },
    });
    grammar = (await registry.loadGrammar('source.kpispec'))!;
    assert.ok(grammar);
  });

  /** Each token's text with its innermost scope, for one line (or the last line of several). */
  function tokens(text: string): [string, string[]][] {
    let state = textmate.INITIAL;
    let out: [string, string[]][] = [];
    for (const line of text.split('\n')) {
      const r = grammar.tokenizeLine(line, state);
      out = r.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes]);
      state = r.ruleStack;
    }
    return out;
  }
  const scopeOf = (toks: [string, string[]][], text: string) => toks.find(([t]) => t.trim() === text)?.[1].at(-1);

  it('gives a block formula value formula scopes: ids, operators, functions, numbers, percents', () => {
    const t = tokens('kpis:\n  roi:\n    formula: (revenue - ad_spend) / prev(ad_spend, 2) * 100% + 1.5');
    assert.equal(scopeOf(t, 'formula'), 'entity.name.tag.yaml');
    assert.equal(scopeOf(t, 'revenue'), 'variable.other.kpispec');
    assert.equal(scopeOf(t, '-'), 'keyword.operator.arithmetic.kpispec');
    assert.equal(scopeOf(t, 'prev'), 'support.function.kpispec');
    assert.equal(scopeOf(t, '2'), 'constant.numeric.kpispec');
    assert.equal(scopeOf(t, '%'), 'keyword.other.unit.percent.kpispec');
    assert.equal(scopeOf(t, '1.5'), 'constant.numeric.kpispec');
  });

  it('works inside flow mappings, and the next key is YAML again', () => {
    const t = tokens('kpis:\n  traffic_growth: { formula: growth(sessions), format: percent }');
    assert.equal(scopeOf(t, 'growth'), 'support.function.kpispec');
    assert.equal(scopeOf(t, 'sessions'), 'variable.other.kpispec');
    assert.equal(scopeOf(t, 'format'), 'entity.name.tag.yaml');
    assert.notEqual(scopeOf(t, 'percent'), 'variable.other.kpispec');
  });

  it('tokenizes a quoted where: strings, comparisons and logic', () => {
    const t = tokens(`metrics:\n  paid: { source: s, agg: count, where: 'channel == "paid" and not is_test' }`);
    assert.equal(scopeOf(t, '=='), 'keyword.operator.comparison.kpispec');
    assert.equal(scopeOf(t, '"paid"'), 'string.quoted.double.kpispec');
    assert.equal(scopeOf(t, 'and'), 'keyword.operator.logical.kpispec');
    assert.equal(scopeOf(t, 'channel'), 'variable.other.kpispec');
  });

  it('leaves other keys, comments and titles to the YAML grammar', () => {
    const t = tokens('kpis:\n  roi:\n    title: revenue / cost  # not a formula');
    assert.notEqual(scopeOf(t, 'revenue'), 'variable.other.kpispec');
    assert.ok(t.some(([, s]) => s.some((x) => x.startsWith('comment'))), 'the comment is a comment');
  });
});

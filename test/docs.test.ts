import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FUNCTIONS } from '../server/src/language/formula/functions';
import { RULES } from '../server/src/language/rules';
import { parseDocument } from 'yaml';
import { checkFiles } from '../server/src/language/analysis/analyze';
import { Workspace } from '../server/src/language/workspace';
import { MemoryHost, ROOT } from './helpers/memoryHost';

const docs = path.resolve(__dirname, '../docs');

describe('docs', () => {
  it('document every rule with its own heading in docs/rules.md', () => {
    const text = fs.readFileSync(path.join(docs, 'rules.md'), 'utf8');
    const headings = [...text.matchAll(/^## `([a-z-]+)`$/gm)].map((m) => m[1]);
    assert.deepEqual([...headings].sort(), [...RULES.keys()].sort());
  });

  it('document every formula function in docs/language.md', () => {
    const text = fs.readFileSync(path.join(docs, 'language.md'), 'utf8');
    for (const name of FUNCTIONS.keys()) assert.ok(text.includes(`\`${name}(`), `${name} is documented`);
  });

  it('give relation examples in docs/language.md that the checker reads without a language error', () => {
    const text = fs.readFileSync(path.join(docs, 'language.md'), 'utf8');
    const section = text.slice(text.indexOf('## Relations'), text.indexOf('## `metrics`'));
    const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    assert.ok(blocks.length >= 5, 'the worked examples');
    // Only the data files are missing: every other problem is a mistake in the example.
    const DATA = new Set(['data-file-missing', 'unused-metric']);
    for (const block of blocks) {
      const spec = `kpispec: 1\n${block}`;
      const ws = new Workspace(new MemoryHost({ 'a.kpi.yaml': spec }), ROOT);
      const problems = checkFiles(ws, [path.join(ROOT, 'a.kpi.yaml')])[0]!.problems.filter((p) => !DATA.has(p.rule));
      assert.deepEqual(problems.map((p) => `${p.rule}: ${p.message}`), [], block);
    }
  });

  it('ship CI recipes that are valid YAML and run check and diff', () => {
    const read = (file: string) => {
      const text = fs.readFileSync(path.join(docs, file), 'utf8');
      const doc = parseDocument(text);
      assert.deepEqual(doc.errors, [], file);
      assert.match(text, /kpispec diff --base "origin\/[^"]+" (.* )?--fail-on breaking/, file);
      return { text, yaml: doc.toJS() };
    };
    const gitlab = read('ci/gitlab-ci.yml').text;
    assert.match(gitlab, /kpispec check --format junit/);
    assert.match(gitlab, /kpispec diff --base "origin\/[^"]+" --format markdown/);
    // GitHub runs check and diff through the repository's action, with inputs it declares.
    const steps: { uses?: string; with?: Record<string, string> }[] = read('ci/github-workflow.yml').yaml.jobs.kpis.steps;
    const step = steps.find((s) => /^[\w-]+\/kpispec@/.test(s.uses ?? ''));
    assert.ok(step, 'a step uses the kpispec action');
    const inputs = Object.keys(parseDocument(fs.readFileSync(path.join(docs, '../action.yml'), 'utf8')).toJS().inputs);
    for (const name of Object.keys(step.with ?? {})) assert.ok(inputs.includes(name), `action.yml declares ${name}`);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    assert.equal(upload?.with?.sarif_file, step.with?.['sarif-file']);
  });

  it('link only to files that exist', () => {
    for (const file of ['../README.md', 'language.md', 'rules.md', 'cli.md']) {
      const full = path.join(docs, file);
      const text = fs.readFileSync(full, 'utf8');
      for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        assert.ok(fs.existsSync(path.resolve(path.dirname(full), target)), `${file} links to ${target}`);
      }
    }
  });
});

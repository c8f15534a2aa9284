import * as assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runCli, tempWorkspace } from '../helpers/runCli';

/**
 * The editor snippets (snippets/kpispec.json) expanded with their default choices, the way
 * pressing Tab through them does: each gives a definition the checker accepts.
 */
type Snippet = { prefix: string[]; description: string; body: string[] };
const snippets = JSON.parse(readFileSync(join(REPO, 'snippets/kpispec.json'), 'utf8')) as Record<string, Snippet>;

/** `${1:web}` → `web`, `${3|sum,count|}` → `sum`, `$0` → ''; the id (placeholder 1) is renamed. */
function expand(body: string[], id: string): string {
  return body.join('\n')
    .replace(/\$\{1:[^}]*\}/, id)
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$0/g, '');
}

const indent = (text: string) => text.split('\n').map((l) => (l ? `  ${l}` : l)).join('\n');

describe('editor snippets', () => {
  it('cover a KPI, a metric, a goal and a source, each with a prefix and a description', () => {
    assert.deepEqual(Object.keys(snippets).sort(), ['Goal', 'KPI', 'Metric', 'Source']);
    for (const s of Object.values(snippets)) assert.ok(s.prefix.length && s.description.length > 20);
  });

  it('expand with their defaults into definitions that check clean beside the sample spec', () => {
    const dir = tempWorkspace({});
    try {
      cpSync(join(REPO, 'samples'), dir, { recursive: true });
      const spec = [
        'kpispec: 1',
        'imports: [webshop.kpi.yaml]',
        'sources:', indent(expand(snippets.Source!.body, 'snippet_source')),
        'metrics:', indent(expand(snippets.Metric!.body, 'snippet_metric')),
        'kpis:', indent(expand(snippets.KPI!.body, 'snippet_kpi')),
        'goals:', indent(expand(snippets.Goal!.body, 'snippet_goal')),
        '',
      ].join('\n');
      writeFileSync(join(dir, 'snippets.kpi.yaml'), spec);
      const r = runCli(['check', 'snippets.kpi.yaml', '--format', 'json'], dir);
      const problems = (JSON.parse(r.stdout) as { files: { problems: { severity: string; message: string }[] }[] }).files.flatMap((f) => f.problems);
      assert.deepEqual(problems.filter((p) => p.severity === 'error'), [], spec);
      assert.equal(r.status, 0, `${r.stdout}\n${spec}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

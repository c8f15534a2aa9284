import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempWorkspace } from '../helpers/runCli';

const SPEC = 'kpispec: 1\nsources:\n  web: { file: web.csv, time: date, dimensions: [channel] }\nmetrics:\n  sessions: { source: web, agg: sum, column: sessions }\n  orders: { source: web, agg: sum, column: orders }\nkpis:\n  conversion_rate: { formula: orders / sessions, format: percent, target: 2% }\n';

const EXPECTED = `**kpispec diff**: 1 changed (1 KPI to review) · 1 breaking change

**Breaking changes**

- \`conversion_rate\` goes from met to missed (2.50% → 2.50%)

| KPI | What changed | Before | After | Status |
|---|---|--:|--:|---|
| \`conversion_rate\` | target | 2.50% | 2.50% | met → missed |

<details><summary>KPIs (1)</summary>

- KPI \`conversion_rate\` changed (\`shop.kpi.yaml\`)
  - target:
    - always: \`min 2%\` → \`min 3%\`

</details>

<details><summary>Lineage of the changed KPIs</summary>

\`\`\`mermaid
flowchart LR
  subgraph sources [Sources]
    n0[("web")]
  end
  subgraph metrics [Metrics]
    n1["sessions"]
    n2["orders"]
  end
  subgraph kpis [KPIs]
    n3(["conversion_rate"])
  end
  n0 --> n1
  n0 --> n2
  n2 --> n3
  n1 --> n3
  classDef selected stroke-width:3px
  class n3 selected
\`\`\`

</details>
`;

function git(cwd: string, ...args: string[]) {
  const r = spawnSync('git', ['-c', 'user.email=ci@kpispec.dev', '-c', 'user.name=ci', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

describe('kpispec diff --base (git)', () => {
  it('compares the specs at a revision with the working tree and with another revision', () => {
    const repo = tempWorkspace({ 'specs/web.csv': 'date,channel,sessions,orders\n2026-01-05,email,100,3\n2026-02-05,email,120,3\n', 'specs/shop.kpi.yaml': SPEC });
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'first');
    fs.writeFileSync(path.join(repo, 'specs/shop.kpi.yaml'), SPEC.replace('target: 2%', 'target: 3%'));
    git(repo, 'commit', '-q', '-a', '-m', 'raise the target');
    const specs = path.join(repo, 'specs');

    const committed = runCli(['diff', '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'markdown'], specs);
    assert.equal(committed.status, 0, committed.stderr);
    assert.equal(committed.stdout, EXPECTED);

    const working = runCli(['diff', '--base', 'HEAD~1', '--format', 'markdown'], specs);
    assert.equal(working.stdout, EXPECTED, 'the working tree is HEAD here');

    const same = runCli(['diff', '--base', 'HEAD', '--format', 'json'], specs);
    assert.equal(JSON.parse(same.stdout).entries.length, 0, 'no change against HEAD');
  });

  it('reports an unknown revision and a folder outside git as usage errors', () => {
    const repo = tempWorkspace({ 'a.kpi.yaml': SPEC });
    const notGit = runCli(['diff', '--base', 'HEAD'], repo);
    assert.equal(notGit.status, 2);
    assert.match(notGit.stderr, /^kpispec: git rev-parse failed: /);
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'first');
    const unknown = runCli(['diff', '--base', 'no-such-branch'], repo);
    assert.equal(unknown.status, 2);
    assert.equal(unknown.stderr, 'kpispec: unknown git revision "no-such-branch"\n');
  });
});

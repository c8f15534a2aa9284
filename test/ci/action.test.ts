import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { REPO, runCli, tempWorkspace } from '../helpers/runCli';

/**
 * The GitHub Action (action.yml + scripts/action/run.mjs) run locally: a pull request in a fixture
 * git repository, the GitHub variables a runner sets, and a dry run in place of the comment API.
 */

const SCRIPT = path.join(REPO, 'scripts/action/run.mjs');

interface Inputs { paths: string[]; format: string; failOn: string; diffBase: string; comment: boolean; sarifFile: string }
interface ActionModule {
  MARKER: string;
  readInputs(env: Record<string, string | undefined>): Inputs;
  checkArgs(inputs: Inputs): string[];
  commentBody(markdown: string): string;
  chooseComment(comments: { id: number; body?: string }[]): { action: 'create' } | { action: 'update'; id: number };
}

function git(cwd: string, ...args: string[]) {
  const r = spawnSync('git', ['-c', 'user.email=ci@kpispec.dev', '-c', 'user.name=ci', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

/** `text` with `from` replaced by `to`, failing loudly when the template no longer has `from`. */
function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `the shop template has \`${from}\``);
  return text.replace(from, to);
}

describe('the GitHub Action', function () {
  this.timeout(120_000);
  let action: ActionModule;
  let scratch: string;
  let work: string; // the pull request's checkout
  let head: string; // its spec text

  /** Runs the action script in the checkout as a runner would, with a dry run for the comment. */
  const runAction = (env: Record<string, string>) => {
    const out = fs.mkdtempSync(path.join(scratch, 'runner-'));
    fs.writeFileSync(path.join(out, 'output'), '');
    const r = spawnSync(process.execPath, [SCRIPT], {
      cwd: work,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH, HOME: scratch, NO_COLOR: '1',
        GITHUB_EVENT_PATH: path.join(scratch, 'event.json'), GITHUB_BASE_REF: 'main', GITHUB_REPOSITORY: 'acme/kpis',
        RUNNER_TEMP: out, GITHUB_OUTPUT: path.join(out, 'output'), KPISPEC_ACTION_DRY_RUN: '1',
        ...env,
      },
    });
    const read = (name: string) => (fs.existsSync(path.join(out, name)) ? fs.readFileSync(path.join(out, name), 'utf8') : undefined);
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, out, read };
  };

  before(async () => {
    action = (await import(pathToFileURL(SCRIPT).href)) as ActionModule;
    scratch = tempWorkspace({ 'event.json': JSON.stringify({ action: 'synchronize', number: 7, pull_request: { number: 7, base: { ref: 'main' } } }) });
    // The base branch: the shop template with its data, as `kpispec init` writes it.
    const upstream = path.join(scratch, 'upstream');
    const init = runCli(['init', '--template', 'shop', '--dir', upstream, '--yes'], scratch);
    assert.equal(init.status, 0, init.stderr);
    git(upstream, 'init', '-q');
    git(upstream, 'add', '.');
    git(upstream, 'commit', '-q', '-m', 'base');
    // The pull request: a raised target, a new formula and a target on the wrong side (a warning).
    work = path.join(scratch, 'work');
    git(scratch, 'clone', '-q', upstream, work);
    git(work, 'checkout', '-q', '-b', 'raise-targets');
    let text = fs.readFileSync(path.join(work, 'shop.kpi.yaml'), 'utf8');
    text = edit(text, '    target: 7000\n', '    target: 8000\n');
    text = edit(text, 'formula: orders / sessions\n', 'formula: orders / add_to_carts\n');
    text = edit(text, '    direction: down\n    target: 0.55\n', '    direction: down\n    target: { min: 0.55 }\n');
    fs.writeFileSync(path.join(work, 'shop.kpi.yaml'), text);
    git(work, 'commit', '-q', '-a', '-m', 'head');
    // As in a shallow checkout, the base branch is not there: the action fetches it.
    git(work, 'update-ref', '-d', 'refs/remotes/origin/main');
    head = text;
  });

  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  /** 1-based line and column of `needle` on the line containing `lineText`. */
  const position = (lineText: string, needle: string) => {
    const lines = head.split('\n');
    const i = lines.findIndex((l) => l.includes(lineText));
    assert.ok(i >= 0, lineText);
    return { line: i + 1, col: lines[i]!.indexOf(needle) + 1 };
  };

  it('annotates the problem, writes the diff comment and would create it; a warning passes fail-on error', () => {
    const r = runAction({});
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const { line, col } = position('target: { min: 0.55 }', '0.55');
    assert.ok(r.stdout.includes(`::warning file=shop.kpi.yaml,line=${line},col=${col},endLine=${line},endColumn=${col + 4},title=kpispec target-direction::\`cost_per_click\` goes down`), r.stdout);
    assert.doesNotMatch(r.stdout, /::error/);

    const body = r.read('kpispec-diff.md')!;
    assert.ok(body.startsWith(`${action.MARKER}\n**kpispec diff**: 3 changed`), body);
    assert.match(body, /\| `conversion_rate` \| formula \| 2\.02% \| 31\.14% \| met \|/);
    assert.match(body, /formula: `orders \/ sessions` → `orders \/ add_to_carts`/);
    assert.match(body, /KPI `revenue_total` changed[^]*always: `min 7000` → `min 8000`/);
    assert.match(body, /`cost_per_click` goes from met to missed/);

    assert.deepEqual(JSON.parse(r.read('kpispec-comment.json')!), { pr: 7, action: 'create' });
    assert.match(r.stdout, /dry run: would create a comment on pull request #7/);
    assert.equal(r.read('output'), `errors=0\nwarnings=1\ncomment-file=${path.join(r.out, 'kpispec-diff.md')}\n`);
  });

  it('fails on the warning with fail-on warning, updates the sticky comment and writes SARIF', () => {
    const comments = path.join(scratch, 'comments.json');
    fs.writeFileSync(comments, JSON.stringify([
      { id: 41, body: 'Looks good' },
      { id: 42, body: `${action.MARKER}\n**kpispec diff**: 1 changed` },
    ]));
    const r = runAction({ INPUT_FAIL_ON: 'warning', INPUT_SARIF_FILE: 'reports/kpispec.sarif', KPISPEC_ACTION_COMMENTS: comments });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /1 warnings, more than --max-warnings 0/);
    assert.deepEqual(JSON.parse(r.read('kpispec-comment.json')!), { pr: 7, action: 'update', id: 42 });
    const sarif = JSON.parse(fs.readFileSync(path.join(work, 'reports/kpispec.sarif'), 'utf8'));
    assert.deepEqual(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId), ['target-direction']);
    fs.rmSync(path.join(work, 'reports'), { recursive: true });
  });

  it('annotates an error and fails on it unless fail-on is none; an empty diff-base runs no diff', () => {
    const file = path.join(work, 'shop.kpi.yaml');
    fs.writeFileSync(file, edit(head, 'formula: revenue / orders', 'formula: revenue / orderz'));
    try {
      const { line, col } = position('formula: revenue / orders', 'orders');
      const failing = runAction({ INPUT_DIFF_BASE: '' });
      assert.equal(failing.code, 1, failing.stdout + failing.stderr);
      assert.ok(failing.stdout.includes(`::error file=shop.kpi.yaml,line=${line},col=${col},endLine=${line},endColumn=${col + 6},title=kpispec unknown-reference::`), failing.stdout);
      assert.equal(failing.read('kpispec-diff.md'), undefined);
      assert.equal(failing.read('output'), 'errors=1\nwarnings=1\n');
      assert.equal(runAction({ INPUT_DIFF_BASE: '', INPUT_FAIL_ON: 'none' }).code, 0);
      const bad = runAction({ INPUT_DIFF_BASE: '', INPUT_FAIL_ON: 'sometimes' });
      assert.equal(bad.code, 2);
      assert.match(bad.stdout, /::error::kpispec: fail-on must be one of error, warning, none, got "sometimes"/);
    } finally {
      fs.writeFileSync(file, head);
    }
  });

  it('posts through the REST API: pages through the comments, then updates the marked one; a refusal only warns', async () => {
    const seen: { method: string; url: string; auth: string; body: string }[] = [];
    let refuse = false;
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization ?? '', body });
        const reply = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        if (refuse) return reply(403, { message: 'Resource not accessible by integration' });
        if (req.url!.endsWith('page=1')) return reply(200, Array.from({ length: 100 }, (_, i) => ({ id: i + 1, body: 'a review' })));
        if (req.url!.endsWith('page=2')) return reply(200, [{ id: 777, body: `${action.MARKER}\nold` }]);
        return reply(200, { html_url: 'https://github.com/acme/kpis/pull/7#issuecomment-777' });
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = async () => {
      const out = fs.mkdtempSync(path.join(scratch, 'runner-'));
      fs.writeFileSync(path.join(out, 'output'), '');
      const child = spawn(process.execPath, [SCRIPT], {
        cwd: work,
        env: { PATH: process.env.PATH, HOME: scratch, GITHUB_EVENT_PATH: path.join(scratch, 'event.json'), GITHUB_BASE_REF: 'main', GITHUB_REPOSITORY: 'acme/kpis', GITHUB_TOKEN: 't0k3n', GITHUB_API_URL: api, RUNNER_TEMP: out, GITHUB_OUTPUT: path.join(out, 'output') },
      });
      let stdout = '';
      child.stdout.on('data', (c) => (stdout += c));
      const [code] = await once(child, 'close');
      return { code, stdout, output: fs.readFileSync(path.join(out, 'output'), 'utf8') };
    };
    try {
      const posted = await post();
      assert.equal(posted.code, 0, posted.stdout);
      assert.deepEqual(seen.map((r) => `${r.method} ${r.url}`), [
        'GET /repos/acme/kpis/issues/7/comments?per_page=100&page=1',
        'GET /repos/acme/kpis/issues/7/comments?per_page=100&page=2',
        'PATCH /repos/acme/kpis/issues/comments/777',
      ]);
      assert.ok(seen.every((r) => r.auth === 'Bearer t0k3n'));
      assert.ok(JSON.parse(seen[2]!.body).body.startsWith(`${action.MARKER}\n**kpispec diff**: 3 changed`));
      assert.match(posted.output, /\ncomment-url=https:\/\/github\.com\/acme\/kpis\/pull\/7#issuecomment-777\n$/);

      refuse = true;
      const refused = await post();
      assert.equal(refused.code, 0, 'the check decides the exit code');
      assert.match(refused.stdout, /::warning::kpispec: could not post the diff comment \(needs permissions: pull-requests: write\): GET .* 403 /);
    } finally {
      server.close();
    }
  });

  it('updates the first comment that starts with the marker, else creates one', () => {
    const { MARKER, chooseComment } = action;
    assert.equal(MARKER, '<!-- kpispec-diff -->');
    assert.deepEqual(chooseComment([]), { action: 'create' });
    assert.deepEqual(chooseComment([{ id: 1, body: 'nice' }, { id: 2 }, { id: 3, body: `> ${MARKER} quoted` }]), { action: 'create' });
    assert.deepEqual(chooseComment([{ id: 1, body: 'nice' }, { id: 5, body: `${MARKER}\nold` }, { id: 9, body: `${MARKER}\nolder` }]), { action: 'update', id: 5 });
  });

  it('reads inputs as GitHub passes them, with the pull request base as the default diff base', () => {
    const { readInputs, checkArgs, commentBody, MARKER } = action;
    const defaults = readInputs({ GITHUB_BASE_REF: 'main' });
    assert.deepEqual(defaults, { paths: ['.'], format: 'github', failOn: 'error', diffBase: 'origin/main', comment: true, sarifFile: '' });
    assert.equal(readInputs({ GITHUB_BASE_REF: 'main', INPUT_DIFF_BASE: '' }).diffBase, '', 'set empty: no diff');
    assert.equal(readInputs({}).diffBase, '', 'not a pull request: no diff');
    const given = readInputs({ INPUT_PATHS: 'kpis\n  more/a.kpi.yaml ', INPUT_FORMAT: 'sarif', INPUT_FAIL_ON: 'warning', INPUT_COMMENT: 'false' });
    assert.deepEqual(checkArgs(given), ['check', '--format', 'sarif', '--max-warnings', '0', 'kpis', 'more/a.kpi.yaml']);
    assert.equal(given.comment, false);
    const long = commentBody('x'.repeat(70_000));
    assert.ok(long.startsWith(`${MARKER}\n`) && long.length < 65_536);
  });

  it('declares its inputs in action.yml and hands every one to a step', () => {
    const yml = parse(fs.readFileSync(path.join(REPO, 'action.yml'), 'utf8'));
    assert.equal(yml.runs.using, 'composite');
    assert.deepEqual(Object.keys(yml.inputs), ['paths', 'format', 'fail-on', 'diff-base', 'comment', 'sarif-file', 'github-token']);
    assert.equal(yml.inputs.paths.default, '.');
    assert.equal(yml.inputs.format.default, 'github');
    assert.equal(yml.inputs['fail-on'].default, 'error');
    assert.equal(yml.inputs['diff-base'].default, "${{ github.base_ref && format('origin/{0}', github.base_ref) || '' }}");
    assert.equal(yml.inputs.comment.default, 'true');
    const steps = JSON.stringify(yml.runs.steps);
    for (const name of Object.keys(yml.inputs)) assert.ok(steps.includes(`\${{ inputs.${name} }}`), `input ${name} is used by a step`);
    const run = yml.runs.steps.find((s: { id?: string }) => s.id === 'run');
    assert.match(run.run, /scripts\/action\/run\.mjs/);
    for (const [name, out] of Object.entries(yml.outputs) as [string, { value: string }][]) assert.equal(out.value, `\${{ steps.run.outputs.${name} }}`);
    assert.ok(run.env.GITHUB_TOKEN.includes('inputs.github-token'));
  });
});

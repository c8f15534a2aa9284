// The GitHub Action's steps (action.yml): `kpispec check`, then `kpispec diff --base` posted as a
// sticky pull-request comment. Plain Node so it runs on a bare runner and in tests without GitHub:
// inputs come from INPUT_* variables; KPISPEC_ACTION_DRY_RUN=1 writes the comment decision to a
// file instead of calling the API (KPISPEC_ACTION_COMMENTS: a JSON file of existing comments).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MARKER = '<!-- kpispec-diff -->';
export const FAIL_ON = ['error', 'warning', 'none'];
const MAX_BODY = 65_000; // GitHub refuses comments over 65,536 characters
const DEFAULT_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** The action's inputs, read as GitHub passes them (INPUT_<NAME>, set by action.yml's `env:`). */
export function readInputs(env) {
  const get = (name) => (env[`INPUT_${name}`] ?? '').trim();
  const paths = get('PATHS').split(/\s+/).filter(Boolean);
  // Unset (not empty) means "as the action's default": the pull request's base branch.
  const diffBase = env.INPUT_DIFF_BASE !== undefined ? get('DIFF_BASE') : env.GITHUB_BASE_REF ? `origin/${env.GITHUB_BASE_REF}` : '';
  return {
    paths: paths.length ? paths : ['.'],
    format: get('FORMAT') || 'github',
    failOn: get('FAIL_ON') || 'error',
    diffBase,
    comment: !/^(false|no|off|0)$/i.test(get('COMMENT')),
    sarifFile: get('SARIF_FILE'),
  };
}

/** `kpispec check` arguments; `fail-on: warning` is `--max-warnings 0`. */
export function checkArgs(inputs) {
  return ['check', '--format', inputs.format, ...(inputs.failOn === 'warning' ? ['--max-warnings', '0'] : []), ...inputs.paths];
}

/** The same check as a report file (no gate: only the main run decides and speaks). */
function reportArgs(inputs, format, file) {
  return ['check', '--format', format, '--output', file, ...inputs.paths];
}

/** The comment: the marker that finds it again on the next push, then the diff's Markdown. */
export function commentBody(markdown) {
  const text = markdown.trimEnd();
  const cut = text.length > MAX_BODY ? `${text.slice(0, MAX_BODY)}\n\n… (cut: the full diff is in the job summary)` : text;
  return `${MARKER}\n${cut}\n`;
}

/** Update the first comment that starts with the marker, or create one. */
export function chooseComment(comments, marker = MARKER) {
  const found = comments.find((c) => typeof c.body === 'string' && c.body.startsWith(marker));
  return found ? { action: 'update', id: found.id } : { action: 'create' };
}

/** The pull request's number from the event payload, or undefined outside a pull request. */
export function pullRequestNumber(env) {
  if (!env.GITHUB_EVENT_PATH || !fs.existsSync(env.GITHUB_EVENT_PATH)) return undefined;
  const event = JSON.parse(fs.readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
  return event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
}

async function api(env, method, url, body) {
  const res = await fetch(`${env.GITHUB_API_URL || 'https://api.github.com'}${url}`, {
    method,
    headers: { authorization: `Bearer ${env.GITHUB_TOKEN}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'kpispec-action' },
    body: body && JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  return res.json();
}

async function listComments(env, pr) {
  const all = [];
  for (let page = 1; ; page++) {
    const batch = await api(env, 'GET', `/repos/${env.GITHUB_REPOSITORY}/issues/${pr}/comments?per_page=100&page=${page}`);
    all.push(...batch);
    if (batch.length < 100) return all;
  }
}

/** Posts or updates the sticky comment; in a dry run writes the decision beside the body instead. */
export async function postComment(env, pr, body, outDir) {
  if (env.KPISPEC_ACTION_DRY_RUN) {
    const comments = env.KPISPEC_ACTION_COMMENTS ? JSON.parse(fs.readFileSync(env.KPISPEC_ACTION_COMMENTS, 'utf8')) : [];
    const plan = { pr, ...chooseComment(comments) };
    fs.writeFileSync(path.join(outDir, 'kpispec-comment.json'), `${JSON.stringify(plan, null, 2)}\n`);
    console.log(`kpispec: dry run: would ${plan.action}${plan.id ? ` comment ${plan.id}` : ' a comment'} on pull request #${pr}`);
    return undefined;
  }
  if (!env.GITHUB_TOKEN || !env.GITHUB_REPOSITORY) {
    console.log('::warning::kpispec: no GITHUB_TOKEN or GITHUB_REPOSITORY, so the diff is not posted');
    return undefined;
  }
  try {
    const plan = chooseComment(await listComments(env, pr));
    const repo = env.GITHUB_REPOSITORY;
    const done = plan.action === 'update'
      ? await api(env, 'PATCH', `/repos/${repo}/issues/comments/${plan.id}`, { body })
      : await api(env, 'POST', `/repos/${repo}/issues/${pr}/comments`, { body });
    console.log(`kpispec: ${plan.action}d ${done.html_url}`);
    return done.html_url;
  } catch (e) {
    // A pull request from a fork gets a read-only token: say so, but the check decides the result.
    console.log(`::warning::kpispec: could not post the diff comment (needs permissions: pull-requests: write): ${e.message}`);
    return undefined;
  }
}

function git(cwd, ...args) {
  return spawnSync('git', args, { cwd, encoding: 'utf8' });
}

/** A shallow checkout lacks the base branch: fetch just its tip, which is all the diff reads. */
function ensureRef(cwd, ref) {
  if (git(cwd, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`).status === 0) return;
  const branch = /^origin\/(.+)$/.exec(ref)?.[1];
  if (branch) git(cwd, 'fetch', '--no-tags', '--depth=1', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`);
}

function setOutput(env, name, value) {
  if (env.GITHUB_OUTPUT) fs.appendFileSync(env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

/** Runs the action; returns the exit code (non-zero when the check fails by `fail-on`). */
export async function main(env = process.env, cwd = process.cwd()) {
  const inputs = readInputs(env);
  if (!FAIL_ON.includes(inputs.failOn)) {
    console.log(`::error::kpispec: fail-on must be one of ${FAIL_ON.join(', ')}, got "${inputs.failOn}"`);
    return 2;
  }
  const cli = env.KPISPEC_CLI || DEFAULT_CLI;
  const kpispec = (args, options = {}) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'], maxBuffer: 1 << 30, ...options });
  const outDir = env.RUNNER_TEMP || os.tmpdir();

  const check = kpispec(checkArgs(inputs)).status ?? 2;
  const summary = kpispec(reportArgs(inputs, 'json', path.join(outDir, 'kpispec-check.json')), { stdio: 'ignore' });
  if (summary.status === 0 || summary.status === 1) {
    const { errors, warnings } = JSON.parse(fs.readFileSync(path.join(outDir, 'kpispec-check.json'), 'utf8')).summary;
    setOutput(env, 'errors', errors);
    setOutput(env, 'warnings', warnings);
  }
  if (inputs.sarifFile) {
    fs.mkdirSync(path.dirname(path.resolve(cwd, inputs.sarifFile)), { recursive: true });
    kpispec(reportArgs(inputs, 'sarif', inputs.sarifFile), { stdio: ['ignore', 'ignore', 'inherit'] });
  }

  if (inputs.diffBase) {
    // The diff reads the specs below its folder: the one folder given, else the workspace.
    const one = inputs.paths.length === 1 && fs.statSync(path.resolve(cwd, inputs.paths[0]), { throwIfNoEntry: false })?.isDirectory();
    const diffCwd = one ? path.resolve(cwd, inputs.paths[0]) : cwd;
    ensureRef(cwd, inputs.diffBase);
    const diff = kpispec(['diff', '--base', inputs.diffBase, '--format', 'markdown'], { cwd: diffCwd, stdio: ['ignore', 'pipe', 'inherit'] });
    if (diff.status === 2 || !diff.stdout) {
      console.log(`::warning::kpispec: diff against ${inputs.diffBase} failed (exit ${diff.status}); no comment`);
    } else {
      const body = commentBody(diff.stdout);
      const file = path.join(outDir, 'kpispec-diff.md');
      fs.writeFileSync(file, body);
      setOutput(env, 'comment-file', file);
      if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, diff.stdout);
      const pr = pullRequestNumber(env);
      if (inputs.comment && pr !== undefined) {
        const url = await postComment(env, pr, body, outDir);
        if (url) setOutput(env, 'comment-url', url);
      }
    }
  }

  if (check === 2) return 2;
  return check !== 0 && inputs.failOn !== 'none' ? 1 : 0;
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}

import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * Every shell command the user-facing docs show runs as written. The commands are read from the
 * shell blocks of the Markdown files and the `run:` / `script:` steps of the CI recipes; each
 * block runs in a fresh git repository holding the samples, with `kpispec` on the PATH (the
 * checkout's dist/cli.js, as `npm install -g` would put it). A command that cannot run here says
 * why in OFFLINE; any other command runs, so a new one is never skipped unnoticed.
 */

const REPO = resolve(__dirname, '..');
const CLI = join(REPO, 'dist', 'cli.js');
const MARKDOWN = ['README.md', 'docs/cli.md', 'docs/editors.md'];
const CI_DIR = 'docs/ci';

/** Commands that need what a test run here does not have, with the reason. */
const OFFLINE: [RegExp, string][] = [
  [/<[a-z][^<>]*>/i, 'has a placeholder to fill in'],
  [/^npm (ci|install|pack)\b|npm install/, 'installs packages (test/package/packAndInstall.test.ts installs the tarball)'],
  [/^bash scripts\/setup\.sh/, 'installs the test tools'],
  [/--engine postgres|KPISPEC_(PG_URL|PROD_PG)=/, 'needs a PostgreSQL server'],
  [/^export PATH=/, 'sets up the CI job’s shell'],
  [/^git fetch\b/, 'fetches from the CI host'],
  [/^curl\b/, 'posts to the CI host'],
];

/** CI variables the recipes use, as a merge or pull request against main sets them. */
const CI_ENV = { CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main', GITHUB_BASE_REF: 'main' };

interface Command {
  where: string;
  text: string;
}

/** The commands of each shell block of a Markdown file, continuation lines joined, comments off. */
function markdownBlocks(file: string): Command[][] {
  const text = readFileSync(join(REPO, file), 'utf8');
  const blocks: Command[][] = [];
  for (const m of text.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)) {
    const first = text.slice(0, m.index).split('\n').length + 1;
    blocks.push(commandLines(m[1]!, (i) => `${file}:${first + i}`));
  }
  return blocks;
}

function commandLines(body: string, where: (line: number) => string): Command[] {
  const out: Command[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + lines[++i]!.trim();
    const command = stripComment(line).trim();
    if (command) out.push({ where: where(start), text: command });
  }
  return out;
}

/** Drops a trailing `# comment` outside quotes. */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** The shell steps of the CI recipes: GitHub `run:` and GitLab `script:`, one block per job. */
function ciBlocks(): Command[][] {
  const blocks: Command[][] = [];
  for (const name of readdirSync(join(REPO, CI_DIR)).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const file = `${CI_DIR}/${name}`;
    const doc = parse(readFileSync(join(REPO, file), 'utf8')) as Record<string, unknown>;
    const jobs = (doc.jobs ?? doc) as Record<string, { steps?: { run?: string }[]; script?: string[] }>;
    for (const [job, body] of Object.entries(jobs)) {
      if (!body || typeof body !== 'object') continue;
      const scripts = [...(body.steps ?? []).map((s) => s.run).filter((r): r is string => !!r), ...(body.script ?? [])];
      const block = scripts.flatMap((s) => commandLines(s.replace(/\$\{\{\s*github\.base_ref\s*\}\}/g, 'main'), () => `${file} (${job})`));
      if (block.length) blocks.push(block);
    }
  }
  return blocks;
}

/** A repository as a user's would be: the samples, committed on main, with origin/main and a profile. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpispec-docs-'));
  cpSync(join(REPO, 'samples'), join(dir, 'samples'), { recursive: true });
  // docs/sql.md's own profiles file, for the commands that name a profile.
  const sql = readFileSync(join(REPO, 'docs', 'sql.md'), 'utf8');
  const profiles = /### Profiles[\s\S]*?```yaml\n([\s\S]*?)```/.exec(sql)![1]!;
  writeFileSync(join(dir, 'samples', 'kpispec.profiles.yaml'), profiles);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=docs', '-c', 'user.email=docs@example.com', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'specs');
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  return dir;
}

describe('the commands in the docs', function () {
  this.timeout(300_000);
  let bin: string;
  const blocks = [...MARKDOWN.flatMap(markdownBlocks), ...ciBlocks()].filter((b) => b.length);
  const offline = (c: Command) => OFFLINE.find(([re]) => re.test(c.text));

  before(() => {
    // `kpispec` as an install puts it on the PATH; `npx kpispec` and `node dist/cli.js` run the same file.
    bin = mkdtempSync(join(tmpdir(), 'kpispec-bin-'));
    writeFileSync(join(bin, 'kpispec'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(bin, 'kpispec'), 0o755);
  });
  after(() => rmSync(bin, { recursive: true, force: true }));

  it('finds the commands of README.md, docs/cli.md, docs/editors.md and docs/ci', () => {
    const all = blocks.flat();
    for (const file of [...MARKDOWN, CI_DIR]) assert.ok(all.some((c) => c.where.startsWith(file)), `commands in ${file}`);
    const runnable = all.filter((c) => !offline(c));
    assert.ok(runnable.length >= 20, `${runnable.length} commands run here`);
  });

  it('runs every command that needs no network, database or install, as written', () => {
    const failures: string[] = [];
    let ran = 0;
    // Each command in a repository of its own: the lines of a block are alternatives, and
    // one that depends on another is written as one line with `&&`.
    for (const command of blocks.flat()) {
      if (offline(command)) continue;
      const dir = workspace();
      try {
        const text = command.text.replace(/^npx kpispec\b/, 'kpispec').replace(/^node dist\/cli\.js\b/, 'kpispec');
        const run = spawnSync('bash', ['-o', 'pipefail', '-c', text], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, ...CI_ENV, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' },
          timeout: 120_000,
        });
        ran++;
        const said = `${run.stderr}${run.stdout}`.trim().split('\n').slice(-6).join('\n');
        if (run.status !== 0) failures.push(`${command.where}: \`${command.text}\` exited ${run.status ?? run.signal}:\n${said}`);
        else if (/\n\s+at .+:\d+:\d+\)?$/m.test(run.stderr)) failures.push(`${command.where}: \`${command.text}\` printed a stack trace:\n${said}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(ran >= 20, `${ran} commands ran`);
  });

  it('leaves out only commands it has a reason for, and every reason is still in use', () => {
    const skipped = blocks.flat().filter((c) => offline(c));
    for (const [re, why] of OFFLINE) assert.ok(skipped.some((c) => re.test(c.text)), `no command left that ${why}: drop ${re}`);
    // The README's first command installs: the pack-and-install test runs that path instead.
    assert.ok(skipped.some((c) => c.where === 'README.md:4' && /npm pack/.test(c.text)), 'the README’s first command is an install');
  });
});

// bench/lsp: drives the built kpispec language server (dist/server.js) over stdio like an editor,
// beside yaml-language-server (schema only) on the same files, and prints medians per operation.
// Usage: npm run bench:lsp [-- --runs N] [--only kpispec|yaml] [--scenario k1000|single|multi|k50000] [--timeout S]
//          [--profile [edit,completion,hoverAfterEdit]] [--server dist/server.js] [--server-flags "--max-old-space-size=300"]
//          [--summarize FILE.cpuprofile]
//   --profile  also runs kpispec once more on the 10,000-KPI file under `node --cpu-prof` and lists, per
//              operation, the top self-time functions (mapped to server/src through dist/server.js.map).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire, SourceMap } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate, specText } from '../check/generate.mjs';
import { fmtMs, median, timeRun } from '../lib.mjs';

const require = createRequire(import.meta.url);
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const out = path.join(repo, 'bench/.work/lsp'); // results and profiles
// The workspaces live outside any dot-folder: yaml-language-server matches its `*.kpi.yaml` file
// pattern with picomatch, which never matches inside a folder whose name starts with a dot
// (bench/.work/…), and would then silently validate nothing.
const work = path.join(os.tmpdir(), 'kpispec-bench-lsp');

// ---- options ------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const runs = Number(opt('--runs')) || 5;
const timeoutMs = (Number(opt('--timeout')) || 120) * 1000;
const only = opt('--only');
const onlyScenario = opt('--scenario');
// --profile [edit,completion,hoverAfterEdit]: which 10,000-KPI operations to profile (edit by default).
const profileArg = opt('--profile');
const profile = argv.includes('--profile') ? (profileArg && !profileArg.startsWith('--') ? profileArg.split(',') : ['edit']) : undefined;
for (const op of profile ?? []) if (!['edit', 'completion', 'hoverAfterEdit'].includes(op)) throw new Error(`--profile: unknown operation ${op} (edit, completion, hoverAfterEdit)`);
const summarize = opt('--summarize'); // re-read a saved .cpuprofile: --summarize FILE (whole profile)
if (runs < 5) console.warn(`note: --runs ${runs} is below the 5 samples this benchmark is meant to report`);

const serverJs = path.resolve(opt('--server') ?? path.join(repo, 'dist/server.js'));
const yamlBin = path.join(repo, 'node_modules/yaml-language-server/bin/yaml-language-server');
if (only !== 'yaml' && !fs.existsSync(serverJs)) throw new Error('build first: npm run build (dist/server.js is missing)');
if (!fs.existsSync(yamlBin)) throw new Error('yaml-language-server is not installed: npm install');

/** kpispec's debounce, read from the server source so this stays in sync. */
function readConstant(file, re, what) {
  const m = re.exec(fs.readFileSync(file, 'utf8'));
  if (!m) throw new Error(`cannot find ${what} in ${path.relative(repo, file)}`);
  return Number(m[1]);
}
const KPI_DEBOUNCE = readConstant(path.join(repo, 'server/src/lsp/server.ts'), /const DEBOUNCE_MS\s*=\s*(\d+)/, 'DEBOUNCE_MS');
/** yaml-language-server delays validation the same way (its yamlSettings.validationDelayMs), on open too. */
const YAML_DEBOUNCE = readConstant(path.join(repo, 'node_modules/yaml-language-server/out/server/src/yamlSettings.js'), /validationDelayMs\s*=\s*(\d+)/, 'validationDelayMs');
const yamlVersion = JSON.parse(fs.readFileSync(path.join(repo, 'node_modules/yaml-language-server/package.json'), 'utf8')).version;

const schemaUrl = pathToFileURL(path.join(repo, 'schemas/kpispec.schema.json')).href;
const YAML_SETTINGS = {
  yaml: {
    schemas: { [schemaUrl]: ['*.kpi.yaml'] }, validate: true, completion: true, hover: true,
    // Not part of the comparison: without this it downloads the SchemaStore catalogue (no network here).
    schemaStore: { enable: false },
  },
};

// ---- the workspaces -----------------------------------------------------------------------

if (summarize) {
  summarizeProfile(path.resolve(summarize), [[-Infinity, Infinity]], 1);
  process.exit(0);
}

console.log(`generating workspaces in ${work} ...`);
generate(work); // single/big.kpi.yaml (10,000 KPIs), multi/ (100 files × 100 KPIs), k1000.kpi.yaml
// The 1,000-KPI file gets a folder of its own, so the workspace scan sees it alone.
fs.mkdirSync(path.join(work, 'k1000'), { recursive: true });
fs.copyFileSync(path.join(work, 'single/web.csv'), path.join(work, 'k1000/web.csv'));
fs.writeFileSync(path.join(work, 'k1000/k1000.kpi.yaml'), specText(1000, 'k', 'web.csv'));
fs.rmSync(path.join(work, 'k1000.kpi.yaml'));

const SCENARIOS = [
  { key: 'k1000', label: '1,000 KPIs, one file', root: 'k1000', file: 'k1000.kpi.yaml', kpis: 1000, tag: 'k',
    goals: { editWork: 100, completion: 30, targetEdit: 100, hoverFirst: 100 } },
  { key: 'single', label: '10,000 KPIs, one file', root: 'single', file: 'big.kpi.yaml', kpis: 10_000, tag: 'a',
    goals: { open: 3000, editWork: 300, completion: 50, memoryMB: 500, targetEdit: 300, hoverFirst: 300 } },
  { key: 'multi', label: '100 files × 100 KPIs (one open)', root: 'multi', file: 'f050.kpi.yaml', kpis: 100, tag: 'f50',
    goals: {} },
].filter((s) => !onlyScenario || s.key === onlyScenario);
/** A 50,000-KPI spec (about 20 MB): a fresh server's whole check beside `kpispec check` on the same file. */
const LARGE = { key: 'k50000', label: '50,000 KPIs, one file', root: 'k50000', file: 'k50000.kpi.yaml', kpis: 50_000, tag: 'h', limitMB: 40,
  goals: { ratio: 1.5, memoryMB: 800 } };
const runLarge = (!onlyScenario || onlyScenario === LARGE.key) && only !== 'yaml';
if (onlyScenario && !SCENARIOS.length && !runLarge) throw new Error(`--scenario: unknown scenario ${onlyScenario} (k1000, single, multi, k50000)`);
if (runLarge) {
  fs.mkdirSync(path.join(work, LARGE.root), { recursive: true });
  fs.copyFileSync(path.join(work, 'single/web.csv'), path.join(work, LARGE.root, 'web.csv'));
  fs.writeFileSync(path.join(work, LARGE.root, LARGE.file), specText(LARGE.kpis, LARGE.tag, 'web.csv'));
}

/** Texts and positions for one scenario: the middle KPI's title (edit), formula (completion) and id (hover). */
function prepare(s) {
  const rootDir = path.join(work, s.root);
  const file = path.join(rootDir, s.file);
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const mid = Math.floor(s.kpis / 2);
  const id = `kpi_${s.tag}_${mid}`;
  const idLine = lines.indexOf(`  ${id}:`);
  if (idLine < 0) throw new Error(`no KPI ${id} in ${file}`);
  const titleLine = idLine + 1;
  const formulaLine = idLine + 3;
  if (!lines[titleLine].startsWith('    title: KPI ') || !lines[formulaLine].startsWith('    formula: (')) throw new Error(`unexpected layout around ${id}`);
  // Insert one character after "KPI <n>" in the title; the alternate text is the original.
  const at = '    title: KPI '.length + String(mid).length;
  const edited = [...lines];
  edited[titleLine] = lines[titleLine].slice(0, at) + 'x' + lines[titleLine].slice(at);
  // Completion: the cursor at the end of the formula's first identifier, "(m_…|".
  const formula = lines[formulaLine];
  const open = formula.indexOf('(') + 1;
  const identEnd = open + /^[A-Za-z0-9_]+/.exec(formula.slice(open))[0].length;
  // Target edit: the KPI's first target step (`max: 10%`; its value, a fall, meets it) moved to
  // `max: -1000%` and back, so that its status flips between met and not met.
  const stepLine = lines.findIndex((l, i) => i > idLine && /^      - \{ from: [0-9-]+, max: 10% \}$/.test(l));
  if (stepLine < 0 || stepLine > idLine + 12) throw new Error(`no target step \`max: 10%\` under ${id}`);
  const notMet = [...lines];
  notMet[stepLine] = lines[stepLine].replace('max: 10%', 'max: -1000%');
  const targets = { met: text, notMet: notMet.join('\n') };
  return {
    rootDir, file, uri: pathToFileURL(file).href, text, editedText: edited.join('\n'), id, targets,
    files: fs.readdirSync(rootDir).filter((f) => /\.kpi\.ya?ml$/.test(f)).map((f) => pathToFileURL(path.join(rootDir, f)).href),
    completionPos: { line: formulaLine, character: identEnd },
    hoverPos: { line: idLine, character: 2 + 3 }, // inside the id, e.g. "kpi|_k_500"
    sizeMB: Buffer.byteLength(text) / 1024 / 1024,
  };
}

/** A spec with a property the schema does not allow. */
const PROBE = 'kpispec: 1\nkpis:\n  probe_kpi:\n    formula: 1\n    colour: red\n';

// ---- a language-server client -------------------------------------------------------------

const now = () => performance.now();
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

class Server {
  /** @param {{name: string, args: string[], languageId: string, settings?: object, nodeFlags?: string[], cwd: string}} o */
  constructor(o) {
    this.o = o;
    this.name = o.name;
    this.stderr = '';
    this.waiters = [];
    this.diagnostics = 0;
    this.exited = false;
    this.child = spawn(process.execPath, [...(o.nodeFlags ?? []), ...o.args], { cwd: o.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this.child.pid;
    this.child.stderr.on('data', (d) => { this.stderr = (this.stderr + d).slice(-20_000); });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      const err = new Error(`${this.name} exited (code ${code}, signal ${signal}) while waiting; stderr tail:\n${this.stderr.slice(-3000)}`);
      for (const w of this.waiters.splice(0)) w.reject(err);
      this.exitError = err;
      this.onExit(err);
    });
    // Rejects when the server exits: a crash mid-request would otherwise leave the request pending.
    this.exitPromise = new Promise((_, reject) => { this.onExit = reject; });
    this.exitPromise.catch(() => {});
    const c = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection = c;
    c.onNotification('textDocument/publishDiagnostics', (p) => {
      const t = now();
      this.diagnostics++;
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && w.test(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve({ t, params: p });
        }
      }
    });
    this.configured = new Promise((resolve) => { this.onConfigured = resolve; });
    c.onRequest('workspace/configuration', (p) => {
      this.onConfigured();
      return p.items.map((item) => (item.section ? item.section.split('.').reduce((o, k) => o?.[k], this.o.settings ?? {}) : this.o.settings) ?? null);
    });
    c.onRequest(() => null); // client/registerCapability, window/workDoneProgress/create, …
    c.onNotification(() => {}); // window/logMessage, kpispec/resultsChanged, telemetry, …
    c.onError(([e]) => { this.stderr += `\n[connection error] ${e?.message ?? e}`; });
    c.listen();
  }

  timeout(promise, what, ms = timeoutMs) {
    let timer;
    return Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${this.name}: timed out after ${ms / 1000} s waiting for ${what}; stderr tail:\n${this.stderr.slice(-3000)}`)), ms);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** The next diagnostics published for `uri` (from now on) that pass `test`: { t, params }. */
  nextDiagnostics(uri, test, what) {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running; stderr tail:\n${this.stderr.slice(-3000)}`));
    const p = new Promise((resolve, reject) => this.waiters.push({ uri, test, resolve, reject }));
    return this.timeout(p, `${what} (diagnostics for ${uri})`).catch((e) => {
      const i = this.waiters.findIndex((w) => w.uri === uri && w.test === test);
      if (i >= 0) this.waiters.splice(i, 1);
      throw e;
    });
  }

  request(method, params, what) {
    if (this.exited) return Promise.reject(this.exitError);
    return this.timeout(Promise.race([this.connection.sendRequest(method, params), this.exitPromise]), `${what} (${method})`);
  }

  notify(method, params) {
    return this.connection.sendNotification(method, params);
  }

  async initialize(rootDir, initializationOptions) {
    const uri = pathToFileURL(rootDir).href;
    await this.request('initialize', {
      processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: path.basename(rootDir) }], initializationOptions,
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: false } },
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: false },
          publishDiagnostics: { versionSupport: true, relatedInformation: true },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
      },
    }, 'initialize');
    await this.notify('initialized', {});
    if (this.o.settings) {
      await this.notify('workspace/didChangeConfiguration', { settings: this.o.settings });
      await this.timeout(this.configured, 'its workspace/configuration request after didChangeConfiguration');
    }
  }

  /** CPU time the server process has used so far (user + system, all threads), in ms. */
  cpuMs() {
    const stat = fs.readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  }

  /** Peak and current resident memory of the server process, in MB. */
  memory() {
    const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { hwmMB: kb('VmHWM') / 1024, rssMB: kb('VmRSS') / 1024 };
  }

  async stop() {
    if (!this.exited) {
      try {
        await this.timeout(this.connection.sendRequest('shutdown'), 'shutdown', 10_000);
        await this.notify('exit');
      } catch { /* killed below */ }
      await this.timeout(new Promise((r) => (this.exited ? r() : this.child.once('exit', r))), 'exit', 10_000).catch(() => {});
    }
    this.connection.dispose();
    if (!this.exited) this.child.kill('SIGKILL'); // this process only, by its own handle
  }
}

/** Extra node flags for the kpispec server, e.g. --server-flags "--max-old-space-size=300". */
const serverFlags = opt('--server-flags')?.split(/\s+/).filter(Boolean) ?? [];
function kpispecServer(cwd, nodeFlags = []) {
  return new Server({ name: 'kpispec', args: [serverJs, '--stdio'], languageId: 'kpispec', cwd, nodeFlags: [...serverFlags, ...nodeFlags] });
}
function yamlServer(cwd) {
  return new Server({ name: 'yaml-language-server', args: [yamlBin, '--stdio'], languageId: 'yaml', settings: YAML_SETTINGS, cwd });
}

// ---- measuring one server on one scenario -------------------------------------------------

const diagCount = (d) => d.params.diagnostics.length;
const hoverText = (h) => {
  if (!h) return '';
  const c = h.contents;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n');
  return c.value ?? '';
};

/**
 * One document held open in one server, as an editor would: open, close and edit it, each timed
 * from the notification to the diagnostics it causes. Versioned servers (kpispec) are matched on
 * the diagnostics' version; yaml-language-server publishes no version, so its next diagnostics for
 * the URI after the notification count (it publishes exactly one per open, change and close).
 */
function documentSession(server, uri, baseText, editedText, versioned) {
  const matchVersion = (v) => (versioned ? (d) => d.version === v : () => true);
  const doc = { version: 0, current: baseText };
  doc.open = async () => {
    const version = ++doc.version;
    doc.current = baseText;
    const wait = server.nextDiagnostics(uri, matchVersion(version), `open (version ${version})`);
    const start = now();
    await server.notify('textDocument/didOpen', { textDocument: { uri, languageId: server.o.languageId, version, text: doc.current } });
    const d = await wait;
    return { ms: d.t - start, count: diagCount(d), diagnostics: d.params.diagnostics };
  };
  doc.close = async () => {
    const wait = server.nextDiagnostics(uri, () => true, 'diagnostics after didClose');
    await server.notify('textDocument/didClose', { textDocument: { uri } });
    await wait;
  };
  doc.edit = async () => {
    const version = ++doc.version;
    doc.current = doc.current === baseText ? editedText : baseText;
    const wait = server.nextDiagnostics(uri, matchVersion(version), `edit → diagnostics (version ${version})`);
    const start = now();
    await server.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: doc.current }] });
    const d = await wait;
    return { ms: d.t - start, count: diagCount(d) };
  };
  return doc;
}

/** Starts the LSP session; kpispec checks every spec in the workspace after `initialized`, so wait for that. */
async function startSession(server, rootDir, files, versioned, info = {}) {
  const t0 = now();
  await server.initialize(rootDir);
  info.initializeMs = now() - t0;
  if (versioned) {
    const tScan = now();
    await Promise.all(files.map((uri) => server.nextDiagnostics(uri, () => true, 'workspace scan after initialized')));
    info.scanMs = now() - tScan;
  }
  return info;
}

/**
 * Whether a server's open → diagnostics includes its debounce: opens a 4-line spec alone in a
 * folder (where the check itself takes a few ms) and sees if diagnostics still take ≈ the debounce.
 */
async function openDebounce(kind, debounce) {
  const dir = path.join(work, 'probe-open');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'tiny.kpi.yaml');
  const text = 'kpispec: 1\nkpis:\n  tiny:\n    formula: 1\n';
  fs.writeFileSync(file, text);
  const server = kind === 'kpispec' ? kpispecServer(dir) : yamlServer(dir);
  try {
    const versioned = kind === 'kpispec';
    await startSession(server, dir, [pathToFileURL(file).href], versioned);
    const doc = documentSession(server, pathToFileURL(file).href, text, text, versioned);
    const times = [];
    for (let i = 0; i < 4; i++) {
      if (i > 0) await doc.close();
      times.push((await doc.open()).ms);
    }
    const fastest = Math.min(...times.slice(1));
    return { fastest, applied: fastest >= 0.8 * debounce ? debounce : 0 };
  } finally {
    await server.stop();
  }
}

const hrUs = () => Number(process.hrtime.bigint() / 1000n); // the clock of V8's profile timestamps

/**
 * Runs the operations on one server: per-operation samples of wall time (ms, in the client) and of
 * the server process's CPU time (ms, all its threads), the [start, end] of each sample for
 * profiles, and what came back. `phases` picks the operations (all, unless profiling).
 */
async function measure(server, s, p, { versioned, debounce, phases = ['open', 'edit', 'completion', 'hover', 'hoverAfterEdit', 'targetEdit'] }) {
  const r = { samples: {}, cpu: {}, windows: {}, info: {}, debounce };
  await startSession(server, p.rootDir, p.files, versioned, r.info);
  const doc = documentSession(server, p.uri, p.text, p.editedText, versioned);
  const { open, close, edit } = doc;
  const has = (phase) => phases.includes(phase);
  /** Peak memory so far, after each phase: shows which operation raises it. */
  const hwm = (phase) => { (r.info.hwmAfter ??= {})[phase] = Math.round(server.memory().hwmMB); };
  hwm('scan');

  /** Runs one sample; unless it is a warm-up, records its wall time, CPU time and window under `key`. */
  const rec = async (key, fn, warmup = false) => {
    const cpu0 = server.cpuMs();
    const h0 = hrUs();
    const res = await fn();
    const h1 = hrUs();
    const cpu1 = server.cpuMs();
    if (!warmup) {
      (r.samples[key] ??= []).push(res.ms);
      (r.cpu[key] ??= []).push(cpu1 - cpu0);
      (r.windows[key] ??= []).push([h0, h1]);
    }
    return res;
  };
  const timed = async (method, params, what) => {
    const start = now();
    const res = await server.request(method, params, what);
    return { ms: now() - start, res };
  };
  const completion = () => timed('textDocument/completion', { textDocument: { uri: p.uri }, position: p.completionPos, context: { triggerKind: 1 } }, 'completion');
  const hover = () => timed('textDocument/hover', { textDocument: { uri: p.uri }, position: p.hoverPos }, 'hover');

  // open → first diagnostics: one warm-up, then `runs` samples (closing in between).
  if (has('open')) {
    for (let i = 0; i <= runs; i++) {
      if (i > 0) await close();
      const o = await rec('open', open, i === 0);
      if (i === 0) r.info.openWarmup = o.ms;
      r.info.openDiagnostics = o.count;
      const codes = new Map();
      for (const d of o.diagnostics) codes.set(d.code ?? d.message.slice(0, 30), (codes.get(d.code ?? d.message.slice(0, 30)) ?? 0) + 1);
      r.info.openCodes = [...codes].map(([c, n]) => `${c} ×${n}`).join(', ');
    }
  } else await open();
  hwm('open');

  // one-character edit → diagnostics, alternating insert/delete.
  if (has('edit')) {
    for (let i = 0; i <= runs; i++) {
      const e = await rec('edit', edit, i === 0);
      if (i === 0) r.info.editWarmup = e.ms;
      r.info.editDiagnostics = Math.max(r.info.editDiagnostics ?? 0, e.count);
    }
    hwm('edit');
  }

  // completion inside a formula.
  if (has('completion')) {
    for (let i = 0; i <= runs; i++) {
      const c = await rec('completion', completion, i === 0);
      if (i === 0) r.info.completionWarmup = c.ms;
      const items = Array.isArray(c.res) ? c.res : c.res?.items ?? [];
      r.info.completionItems = items.length;
      r.info.completionKB = Buffer.byteLength(JSON.stringify(c.res ?? null)) / 1024;
      r.info.completionSample = items.slice(0, 3).map((x) => x.label).join(', ');
    }
    hwm('completion');
  }

  // hover on a KPI id: the first one after the edits computes the results; then the following ones.
  if (has('hover')) {
    const first = await rec('hoverFirst', hover);
    r.info.hoverText = hoverText(first.res);
    for (let i = 0; i <= runs; i++) await rec('hover', hover, i === 0);
    hwm('hover');
  }

  // the first hover after each edit (its results are recomputed every time).
  if (has('hoverAfterEdit')) {
    for (let i = 0; i < runs; i++) {
      await edit();
      await rec('hoverAfterEdit', hover);
    }
    hwm('hoverAfterEdit');
  }
  // a target edit → the hover shows the status under the new target (its value is computed again):
  // from didChange until a hover answers with it (yaml-language-server: its first hover after the edit).
  if (has('targetEdit')) {
    const targetEdit = async () => {
      const met = doc.current !== p.targets.met;
      doc.current = met ? p.targets.met : p.targets.notMet;
      const version = ++doc.version;
      const start = now();
      await server.notify('textDocument/didChange', { textDocument: { uri: p.uri, version }, contentChanges: [{ text: doc.current }] });
      for (let tries = 0; ; tries++) {
        const h = await server.request('textDocument/hover', { textDocument: { uri: p.uri }, position: p.hoverPos }, 'hover after a target edit');
        const text = hoverText(h);
        if (!versioned || /· met\b/.test(text) === met) return { ms: now() - start, text };
        if (tries > 200) throw new Error(`the hover never showed the status under the new target: ${text}`);
      }
    };
    for (let i = 0; i <= runs; i++) {
      const t = await rec('targetEdit', targetEdit, i === 0);
      r.info.targetEditText = t.text;
    }
    hwm('targetEdit');
  }
  if (doc.current !== p.text) {
    doc.current = p.editedText;
    await edit(); // leave the document as it was
  }

  r.memory = server.memory();
  r.info.diagnosticsPublished = server.diagnostics;

  // Sanity probe (after the memory reading): an invalid spec must get diagnostics from both
  // servers, or the figures above were measured on a server that validates nothing.
  const probeUri = pathToFileURL(path.join(p.rootDir, 'probe-invalid.kpi.yaml')).href;
  const wait = server.nextDiagnostics(probeUri, versioned ? (d) => d.version === 1 : () => true, 'diagnostics on the invalid probe spec');
  await server.notify('textDocument/didOpen', { textDocument: { uri: probeUri, languageId: server.o.languageId, version: 1, text: PROBE } });
  const d = await wait;
  r.info.probe = d.params.diagnostics.map((x) => x.message);
  await server.notify('textDocument/didClose', { textDocument: { uri: probeUri } });
  return r;
}

async function runOne(kind, s, p) {
  const server = kind === 'kpispec' ? kpispecServer(p.rootDir) : yamlServer(p.rootDir);
  try {
    return await measure(server, s, p, { versioned: kind === 'kpispec', debounce: kind === 'kpispec' ? KPI_DEBOUNCE : YAML_DEBOUNCE });
  } finally {
    await server.stop();
  }
}

// ---- the report ---------------------------------------------------------------------------

const fmt = (ms) => (ms === undefined || Number.isNaN(ms) ? '—' : ms < 10 ? `${ms.toFixed(1)} ms` : fmtMs(ms));
const med = (xs) => (xs && xs.length ? median(xs) : undefined);
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' / ');

function goal(value, limit, unit = 'ms') {
  if (limit === undefined || value === undefined) return '';
  const shown = unit === 'MB' ? `${limit} MB` : unit === 'x' ? `${limit}×` : fmtMs(limit);
  return `${value <= limit ? 'met' : 'MISSED'} (≤ ${shown})`;
}

function rowsFor(s, k, y) {
  const rows = [];
  /** One row: value for each server (f), the samples key whose server CPU time to show, the goal. */
  const both = (label, f, cpuKey, g, unit) => {
    const kv = k ? f(k) : undefined;
    const yv = y ? f(y) : undefined;
    const cpu = (r) => (r && cpuKey ? (cpuKey === 'hoverFirst' ? r.cpu[cpuKey]?.[0] : med(r.cpu[cpuKey])) : undefined);
    rows.push({ label, kv, kc: cpu(k), goal: g === undefined ? '' : goal(kv, g, unit), yv, yc: cpu(y), ratio: kv !== undefined && yv ? kv / yv : undefined, unit });
  };
  const minus = (r, key) => med(r.samples[key]?.map((x) => x - r.debounce));
  const od = (kind) => openDelay[kind]?.applied ?? 0;
  both('open → first diagnostics, from didOpen', (r) => med(r.samples.open), 'open', s.goals.open);
  both(`open → diagnostics − debounce (kpispec ${od('kpispec')}, yaml-ls ${od('yaml')} ms)`, (r) => med(r.samples.open?.map((x) => x - od(r === k ? 'kpispec' : 'yaml'))));
  both('edit → diagnostics, from didChange', (r) => med(r.samples.edit), 'edit');
  both(`edit → diagnostics − debounce (kpispec ${KPI_DEBOUNCE}, yaml-ls ${YAML_DEBOUNCE} ms)`, (r) => minus(r, 'edit'), undefined, s.goals.editWork);
  both('completion in a formula', (r) => med(r.samples.completion), 'completion', s.goals.completion);
  both('hover on a KPI id, first (kpispec computes values)', (r) => r.samples.hoverFirst?.[0], 'hoverFirst');
  both('hover on a KPI id, following', (r) => med(r.samples.hover), 'hover');
  both('hover, first after each edit (recomputes)', (r) => med(r.samples.hoverAfterEdit), 'hoverAfterEdit', s.goals.hoverFirst);
  both('target edit → hover with the status under it (kpispec: the new value)', (r) => med(r.samples.targetEdit), 'targetEdit', s.goals.targetEdit);
  both('peak memory (VmHWM)', (r) => r.memory?.hwmMB, undefined, s.goals.memoryMB, 'MB');
  return rows;
}

function printTable(allRows) {
  const header = ['operation', 'kpispec', '(CPU)', 'goal (kpispec)', 'yaml-ls', '(CPU)', 'kpispec ÷ yaml-ls'];
  const lines = [];
  for (const { title, rows } of allRows) {
    lines.push({ title });
    for (const { label, kv, kc, goal: g, yv, yc, ratio, unit } of rows) {
      const v = (x) => (x === undefined ? '—' : unit === 'MB' ? `${Math.round(x)} MB` : fmt(x));
      const c = (x) => (x === undefined ? '' : `(${Math.round(x)})`);
      lines.push({ cells: [`  ${label}`, v(kv), c(kc), g, v(yv), c(yc), ratio === undefined ? '—' : `${ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2)}×`] });
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.filter((l) => l.cells).map((l) => l.cells[i].length)));
  const fmtRow = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(fmtRow(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(l.title ? l.title : fmtRow(l.cells));
}

// ---- a 50,000-KPI spec: the server's whole check beside `kpispec check` -------------------

/**
 * One sample of each, alternately: a new kpispec server in the folder of the 50,000-KPI spec
 * (with `maxSpecFileSizeMb` raised over the file's 20 MB) opens it right after `initialized`,
 * timed from `didOpen`, and from starting the process, to its diagnostics, with the server's
 * CPU time and peak memory then; and `kpispec check` on the same file, timed as a whole
 * process, its CPU time and peak memory taken at its exit (bench/lsp/usage.cjs).
 */
async function measureLarge() {
  const rootDir = path.join(work, LARGE.root);
  const file = path.join(rootDir, LARGE.file);
  const uri = pathToFileURL(file).href;
  const text = fs.readFileSync(file, 'utf8');
  const cliJs = path.join(path.dirname(serverJs), 'cli.js');
  if (!fs.existsSync(cliJs)) throw new Error(`no cli.js beside ${serverJs}`);
  const usageFile = path.join(out, 'cli-usage.json');
  fs.mkdirSync(out, { recursive: true });
  const samples = { server: [], serverFromStart: [], serverCpu: [], serverPeak: [], cli: [], cliCpu: [], cliPeak: [], ratio: [], cpuRatio: [] };
  const info = { sizeMB: Buffer.byteLength(text) / 1024 / 1024 };
  for (let i = 0; i < runs + 1; i++) {
    // kpispec server: a new process each time.
    const t0 = now();
    const server = kpispecServer(rootDir);
    let open;
    try {
      await server.initialize(rootDir, { maxSpecFileSizeMb: LARGE.limitMB });
      const wait = server.nextDiagnostics(uri, (d) => d.version === 1, 'open → diagnostics of the 50,000-KPI spec');
      const start = now();
      await server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'kpispec', version: 1, text } });
      const d = await wait;
      open = { ms: d.t - start, fromStart: d.t - t0, cpu: server.cpuMs(), peak: server.memory().hwmMB, count: diagCount(d), codes: [...new Set(d.params.diagnostics.map((x) => x.code))] };
    } finally {
      await server.stop();
    }
    if (open.codes.includes('file-too-large')) throw new Error('the server refused the 50,000-KPI spec: is maxSpecFileSizeMb honoured?');
    // kpispec check: the same file, as a whole process.
    fs.rmSync(usageFile, { force: true });
    const run = timeRun(process.execPath, ['-r', path.join(here, 'usage.cjs'), cliJs, 'check', LARGE.file, '--max-file-size', String(LARGE.limitMB), '-f', 'json'],
      { cwd: rootDir, env: { ...process.env, KPISPEC_BENCH_USAGE: usageFile } });
    if (run.status !== 0 && run.status !== 1) throw new Error(`kpispec check failed (exit ${run.status}): ${run.stderr.slice(-2000)}`);
    const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8'));
    const cliCount = JSON.parse(run.stdout).files?.reduce?.((n, f) => n + (f.problems?.length ?? f.messages?.length ?? 0), 0);
    console.log(`  sample ${i ? i : '(warm-up)'}: server ${fmt(open.ms)} (CPU ${fmt(open.cpu)}, ${Math.round(open.peak)} MB, ${open.count} diagnostics); check ${fmt(run.ms)} (CPU ${fmt(usage.cpuMs)}, ${Math.round(usage.peakMB)} MB${cliCount !== undefined ? `, ${cliCount} problems` : ''}); load ${load()}`);
    if (i === 0) continue; // warm-up: the file system cache
    samples.server.push(open.ms);
    samples.serverFromStart.push(open.fromStart);
    samples.serverCpu.push(open.cpu);
    samples.serverPeak.push(open.peak);
    samples.cli.push(run.ms);
    samples.cliCpu.push(usage.cpuMs);
    samples.cliPeak.push(usage.peakMB);
    samples.ratio.push(open.ms / run.ms);
    samples.cpuRatio.push(open.cpu / usage.cpuMs);
  }
  return { samples, info };
}

function printLarge({ samples: s, info }) {
  const r = (x) => `${x.toFixed(2)}×`;
  console.log(`\n${LARGE.label} — ${LARGE.root}/${LARGE.file}, ${info.sizeMB.toFixed(1)} MB: medians of ${s.server.length} samples, each pair run one after the other`);
  const rows = [
    ['open → diagnostics (server) / `kpispec check` (whole process)', fmt(med(s.server)), fmt(med(s.cli)), `${r(med(s.ratio))} (median of the pairs' ratios)`, goal(med(s.ratio), LARGE.goals.ratio, 'x')],
    ['  the server from starting its process', fmt(med(s.serverFromStart)), '', r(med(s.serverFromStart) / med(s.cli)), ''],
    ['CPU time (all threads)', fmt(med(s.serverCpu)), fmt(med(s.cliCpu)), r(med(s.cpuRatio)), ''],
    ['peak memory (VmHWM / maxRSS)', `${Math.round(med(s.serverPeak))} MB`, `${Math.round(med(s.cliPeak))} MB`, r(med(s.serverPeak) / med(s.cliPeak)), goal(med(s.serverPeak), LARGE.goals.memoryMB, 'MB')],
  ];
  const header = ['', 'kpispec server', 'kpispec check', 'server ÷ check', 'goal'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

// ---- profiling (optional) -----------------------------------------------------------------

const PROFILE_LABEL = { edit: 'edit → diagnostics', completion: 'completion in a formula', hoverAfterEdit: 'first hover after an edit (computes values)' };

/** Runs kpispec under --cpu-prof on one scenario and summarizes each chosen operation's samples. */
async function profileOps(s, p, ops) {
  const dir = path.join(out, 'prof');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const server = kpispecServer(p.rootDir, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200']);
  let r;
  try {
    r = await measure(server, s, p, { versioned: true, debounce: KPI_DEBOUNCE, phases: ops });
  } finally {
    await server.stop();
  }
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written in ${dir} (did the server exit cleanly?)`);
  console.log(`\nCPU profile of kpispec (node --cpu-prof, 200 µs interval), ${s.label}: ${path.relative(repo, path.join(dir, file))}`);
  console.log('(open it in Chrome DevTools or speedscope for the call tree; the profiler itself slows the server a little)');
  for (const op of ops) {
    const n = r.windows[op]?.length ?? 0;
    if (!n) continue;
    console.log(`\n== ${PROFILE_LABEL[op]}: ${n} samples (after a warm-up); wall median ${fmt(med(r.samples[op]))}, server CPU median ${fmt(med(r.cpu[op]))}`);
    summarizeProfile(path.join(dir, file), r.windows[op], n);
  }
}

/** Prints the top self-time functions, and the top inclusive-time server/src functions, within the windows (µs). */
function summarizeProfile(file, windows, count) {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  let map;
  try {
    map = new SourceMap(JSON.parse(fs.readFileSync(serverJs + '.map', 'utf8')));
  } catch { /* positions stay as in dist/ */ }
  const names = new Map();
  const sources = {};
  const nameOf = (id) => {
    if (names.has(id)) return names.get(id);
    const cf = byId.get(id).callFrame;
    let where = '';
    if (cf.url && cf.lineNumber >= 0) {
      where = `${cf.url.replace(/^file:\/\//, '')}:${cf.lineNumber + 1}`;
      if (map && fileURLToPathSafe(cf.url) === serverJs) {
        const e = map.findEntry(cf.lineNumber, cf.columnNumber);
        if (e?.originalSource) {
          const src = /^[a-z]+:/.test(e.originalSource) ? fileURLToPathSafe(e.originalSource) : path.resolve(path.dirname(serverJs), e.originalSource);
          where = `${src}:${e.originalLine + 1}`;
        }
      }
      where = where.replace(repo + '/', '');
    }
    let fn = cf.functionName || '(anonymous)';
    // The bundle is minified: take a short name's original from its source line.
    const m = /^(server\/src\/.*\.ts):(\d+)$/.exec(where);
    if (m && fn.length <= 3) {
      const text = (sources[m[1]] ??= fs.existsSync(path.join(repo, m[1])) ? fs.readFileSync(path.join(repo, m[1]), 'utf8').split('\n') : []);
      const src = text[Number(m[2]) - 1] ?? '';
      const orig = /function\*?\s+([\w$]+)/.exec(src)?.[1] ?? /(?:const|let|var)\s+([\w$]+)\s*=/.exec(src)?.[1] ?? /^\s*(?:(?:private|public|protected|static|async|get|set|readonly)\s+)*([\w$]+)\s*[(<]/.exec(src)?.[1];
      if (orig && orig !== fn) fn = `${orig} (${fn})`;
    }
    const name = `${fn}${where ? `  ${where}` : ''}`;
    names.set(id, name);
    return name;
  };
  // Sample times are µs on the monotonic clock, as process.hrtime is: keep the edit window only.
  const self = new Map();
  const incl = new Map();
  let t = prof.startTime;
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    t += prof.timeDeltas[i];
    const dt = prof.timeDeltas[i + 1] ?? 0;
    if (!windows.some(([from, to]) => t >= from && t <= to)) continue;
    const leaf = prof.samples[i];
    self.set(nameOf(leaf), (self.get(nameOf(leaf)) ?? 0) + dt);
    const seen = new Set();
    for (let id = leaf; id !== undefined; id = parent.get(id)) {
      const n = nameOf(id);
      if (seen.has(n)) continue;
      seen.add(n);
      incl.set(n, (incl.get(n) ?? 0) + dt);
    }
    total += dt;
  }
  if (!total) throw new Error('no profile samples fell within the measured windows (clock mismatch?)');
  const busy = total - (self.get('(idle)') ?? 0);
  console.log(`${(total / 1000).toFixed(0)} ms sampled in the measured windows, ${(busy / 1000).toFixed(0)} ms of it busy (not idle): ${(busy / 1000 / count).toFixed(0)} ms busy per sample`);
  const line = (name, us) => `${(us / 1000).toFixed(0).padStart(7)}  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${(us / 1000 / count).toFixed(1).padStart(8)}  ${name}`;
  console.log('\ntop self time            (% of busy time)');
  console.log('     ms  % busy  ms/sample  function  source');
  for (const [name, us] of [...self].filter(([n]) => n !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(line(name, us));
  console.log('\ntop inclusive time in server/src (self + callees)');
  console.log('     ms  % busy  ms/sample  function  source');
  for (const [name, us] of [...incl].filter(([n]) => n.includes('server/src/')).sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(line(name, us));
}

function fileURLToPathSafe(u) {
  try {
    return u.startsWith('file:') ? fileURLToPath(u) : u;
  } catch {
    return u;
  }
}

// ---- main ---------------------------------------------------------------------------------


const cpu = os.cpus();
if (opt('--server') || serverFlags.length) console.log(`kpispec server: node ${[...serverFlags, serverJs].join(' ')}`);
console.log(`machine: ${cpu.length} × ${cpu[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; yaml-language-server ${yamlVersion}`);
console.log(`load average (1/5/15 min) at start: ${load()}`);
console.log(`${runs} samples per operation after one warm-up; every wait times out after ${timeoutMs / 1000} s`);
console.log(`debounce: kpispec ${KPI_DEBOUNCE} ms after a change (DEBOUNCE_MS in server/src/lsp/server.ts); yaml-language-server ${YAML_DEBOUNCE} ms (validationDelayMs)`);

const results = {};
const tables = [];
let failed = false;

// Does open → diagnostics wait for the debounce too? Measured, not assumed (see openDebounce).
const openDelay = {};
for (const kind of ['kpispec', 'yaml']) {
  if (only && only !== kind) continue;
  const debounce = kind === 'kpispec' ? KPI_DEBOUNCE : YAML_DEBOUNCE;
  try {
    openDelay[kind] = await openDebounce(kind, debounce);
    console.log(`${kind === 'yaml' ? 'yaml-language-server' : 'kpispec'}: open → diagnostics of a 4-line spec takes ${fmt(openDelay[kind].fastest)}, so open ${openDelay[kind].applied ? `also waits the ${debounce} ms debounce` : 'is not debounced'}`);
  } catch (e) {
    failed = true;
    console.log(`${kind}: open-debounce probe FAILED: ${e.message}`);
  }
}
console.log('');
for (const s of SCENARIOS) {
  const p = prepare(s);
  const title = `${s.label} — ${path.relative(work, p.file)}, ${p.sizeMB.toFixed(2)} MB${p.files.length > 1 ? `, ${p.files.length} specs in the folder` : ''}`;
  console.log(`running: ${title}`);
  const res = {};
  for (const kind of ['kpispec', 'yaml']) {
    if (only && only !== kind) continue;
    const t = now();
    try {
      res[kind] = await runOne(kind, s, p);
      console.log(`  ${kind.padEnd(8)} done in ${fmtMs(now() - t)}`);
    } catch (e) {
      failed = true;
      console.log(`  ${kind.padEnd(8)} FAILED: ${e.message}`);
    }
  }
  results[s.key] = res;
  tables.push({ title, rows: rowsFor(s, res.kpispec, res.yaml), res });
}

if (SCENARIOS.length) {
  console.log(`\nmedians of ${runs} samples (after one warm-up), wall time in the client; ratio < 1 means kpispec is faster / smaller`);
  console.log(`(CPU): median CPU ms the server process used during the sample (user + system, all threads, ${1000 / CLK_TCK} ms ticks) — less moved by machine load than wall time`);
  console.log('kpispec: full check (schema + model + analysis); yaml-language-server: schema-only diagnostics, schema completion and hover\n');
  printTable(tables);

  console.log('\ndetails');
  for (const { title, res } of tables) {
    console.log(title);
    for (const [kind, r] of Object.entries(res)) {
      const i = r.info;
      const bits = [
        `initialize ${fmt(i.initializeMs)}`,
        i.scanMs !== undefined ? `workspace scan ${fmt(i.scanMs)}` : undefined,
        `first open (warm-up) ${fmt(i.openWarmup)}`,
        `first edit ${fmt(i.editWarmup)}`,
        `diagnostics: ${i.openDiagnostics} on open${i.openCodes ? ` (${i.openCodes})` : ''}, ≤ ${i.editDiagnostics} after edits`,
        `completion: ${i.completionItems} items, ${Math.round(i.completionKB)} KB of JSON (${i.completionSample || 'none'})`,
        `hover: ${i.hoverText ? `${i.hoverText.length} chars, "${i.hoverText.replace(/\s+/g, ' ').slice(0, 70)}…"` : 'empty'}`,
        `memory now ${Math.round(r.memory.rssMB)} MB, peak after each phase: ${Object.entries(i.hwmAfter ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')} MB`,
        i.probe.length ? `invalid-spec probe: ${i.probe.length} diagnostic(s), "${i.probe[0].slice(0, 60)}"` : 'WARNING: no diagnostics on the invalid-spec probe — this server validated nothing, its figures are meaningless',
      ].filter(Boolean);
      if (!i.probe.length) failed = true;
      console.log(`  ${kind.padEnd(8)} ${bits.join('; ')}`);
    }
  }
}

if (runLarge) {
  console.log(`\nrunning: ${LARGE.label} (server and \`kpispec check\`, alternately)`);
  try {
    results[LARGE.key] = await measureLarge();
    printLarge(results[LARGE.key]);
  } catch (e) {
    failed = true;
    console.log(`  FAILED: ${e.message}`);
  }
}

if (profile) {
  const s = SCENARIOS.find((x) => x.key === 'single');
  if (s) {
    try {
      await profileOps(s, prepare(s), profile);
    } catch (e) {
      failed = true;
      console.log(`profile FAILED: ${e.message}`);
    }
  } else console.log('\n--profile needs the 10,000-KPI scenario (--scenario single or none)');
}

fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify({ date: new Date().toISOString(), runs, debounce: { kpispec: KPI_DEBOUNCE, yaml: YAML_DEBOUNCE }, openDelay, results }, (k, v) => (typeof v === 'bigint' ? String(v) : v), 2));
console.log(`\nload average (1/5/15 min) at end: ${load()}`);
console.log(`raw samples: ${path.relative(repo, path.join(out, 'results.json'))}`);
if (failed) process.exitCode = 1;

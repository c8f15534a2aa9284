import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorCodes, LSPErrorCodes } from 'vscode-languageserver-protocol';
import { tempWorkspace } from '../helpers/runCli';
import { TestClient } from '../lsp/client';
import { BIG_CSV, BLANK_DOCS, bigSpec } from './bigSpec';
import { Docs, type Step } from './lspSteps';
import { Rng } from './prng';

/** Errors a server may answer with on purpose; InternalError means a feature threw. */
const PROPER = new Set<number>([ErrorCodes.InvalidParams, ErrorCodes.MethodNotFound, ErrorCodes.InvalidRequest, LSPErrorCodes.RequestCancelled, LSPErrorCodes.ContentModified, LSPErrorCodes.ServerCancelled]);
const CRASH = /uncaught|unhandled|TypeError|RangeError|ReferenceError|Maximum call stack|\n\s+at /i;
/** The goal: no request over 2 s on a 1,000-KPI spec (on a quiet machine: `npm run fuzz`). */
export const LIMIT_MS = 2000;

export interface LspRun {
  seed: number;
  requests: number;
  changes: number;
  slowest: { ms: number; method: string; step: number };
  faults: string[];
  /** The sequence, written out when something failed (JSON lines, replayable by seed). */
  sequenceFile?: string;
  ms: number;
}

/**
 * `requests` random requests, with didChange notifications between them, against the real
 * server on a 1,000-KPI spec and blank-first-line documents; then a hover on a known KPI after
 * restoring the spec must answer as it did before the burst. A request slower than `limitMs`
 * is a fault.
 */
export async function runLspFuzz(seed: number, requests: number, limitMs = LIMIT_MS, kpis = 1000): Promise<LspRun> {
  const start = performance.now();
  const rng = new Rng(seed);
  const dir = tempWorkspace({ 'web.csv': BIG_CSV, 'big.kpi.yaml': bigSpec(kpis) });
  const uri = (name: string) => `file://${dir}/${name}`;
  const originals = new Map([[uri('big.kpi.yaml'), bigSpec(kpis)], ...BLANK_DOCS.map((t, i): [string, string] => [uri(`blank${i}.kpi.yaml`), t])]);
  const docs = new Docs(originals);
  const run: LspRun = { seed, requests: 0, changes: 0, slowest: { ms: 0, method: '', step: -1 }, faults: [], ms: 0 };
  const steps: Step[] = [];
  const client = new TestClient();
  const c = client.connection;
  try {
    await client.initialize(dir);
    for (const [u, text] of originals) await c.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'kpispec', version: 1, text } });
    const big = uri('big.kpi.yaml');
    await client.diagnosticsFor(big, (p) => p.version === 1, 60_000);
    const known = { textDocument: { uri: big }, position: hoverPosition(originals.get(big)!, 'kpi_500') };
    const before = JSON.stringify(await c.sendRequest('textDocument/hover', known));
    if (!before.includes('KPI 500')) run.faults.push(`the hover on kpi_500 before the burst lacks its title: ${before.slice(0, 300)}`);

    while (run.requests < requests && client.alive) {
      if (rng.chance(0.3)) {
        const step = docs.change(rng);
        steps.push(step);
        run.changes++;
        await c.sendNotification(step.method, step.params as object);
      }
      const step = docs.request(rng);
      steps.push(step);
      const sent = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        c.sendRequest(step.method, step.params as object).then(() => undefined, (e: { code?: number; message?: string }) => e),
        new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 30_000))),
      ]);
      clearTimeout(timer);
      const ms = performance.now() - sent;
      run.requests++;
      if (ms > run.slowest.ms) run.slowest = { ms, method: step.method, step: steps.length - 1 };
      const where = `step ${steps.length - 1} (${step.method})`;
      if (outcome === 'timeout') run.faults.push(`${where}: no answer within 30 s`);
      else if (outcome && !PROPER.has(outcome.code ?? NaN)) run.faults.push(`${where}: error ${outcome.code} ${outcome.message}`);
      if (ms > limitMs) run.faults.push(`${where}: took ${Math.round(ms)} ms`);
      if (run.faults.length >= 5) break;
    }
    if (!client.alive) run.faults.push(`the server exited; stderr: ${client.stderr.slice(-2000)}`);
    else {
      // Back to the original text: the known KPI must hover as before.
      const doc = docs.docs.get(big)!;
      await c.sendNotification('textDocument/didChange', { textDocument: { uri: big, version: doc.version + 1 }, contentChanges: [{ text: originals.get(big) }] });
      await client.diagnosticsFor(big, (p) => p.version === doc.version + 1, 60_000);
      const after = JSON.stringify(await c.sendRequest('textDocument/hover', known));
      if (after !== before) run.faults.push(`after the burst the hover on kpi_500 differs:\nbefore ${before.slice(0, 400)}\nafter  ${after.slice(0, 400)}`);
    }
    if (CRASH.test(client.stderr)) run.faults.push(`stderr: ${client.stderr.slice(-2000)}`);
    const failed = client.logs.filter((l) => /failed: /.test(l));
    if (failed.length) run.faults.push(`the server logged ${failed.length} failures, the first: ${failed[0]!.slice(0, 1500)}`);
  } catch (e) {
    run.faults.push(`the run threw: ${e instanceof Error ? e.stack : String(e)}`);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (run.faults.length) {
    run.sequenceFile = path.join(os.tmpdir(), `kpispec-fuzz-lsp-${seed}.jsonl`);
    fs.writeFileSync(run.sequenceFile, steps.map((s) => JSON.stringify(s)).join('\n') + '\n');
  }
  run.ms = performance.now() - start;
  return run;
}

/** The position of a KPI's id in the text. */
function hoverPosition(text: string, id: string): { line: number; character: number } {
  const at = text.indexOf(`\n  ${id}:`) + 3;
  const line = text.slice(0, at).split('\n').length - 1;
  return { line, character: 2 };
}

/** A failure report: the seed, the faults, the last steps before them and where the whole sequence is. */
export function lspReport(run: LspRun): string {
  return [
    `LSP fuzz, seed ${run.seed}: ${run.faults.length} faults after ${run.requests} requests and ${run.changes} changes`,
    ...run.faults.map((f) => `  fault: ${f.slice(0, 2000)}`),
    `  the whole sequence (JSON lines; the URIs name a temporary folder): ${run.sequenceFile}`,
    `  replay: KPISPEC_FUZZ_SEED=${run.seed} KPISPEC_FUZZ_ONLY=lsp npm run fuzz`,
  ].join('\n');
}

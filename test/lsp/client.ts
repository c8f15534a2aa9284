import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { InitializeRequest, InitializedNotification, LogMessageNotification, PublishDiagnosticsNotification, type PublishDiagnosticsParams, type InitializeResult } from 'vscode-languageserver-protocol';
import { REPO } from '../helpers/runCli';

/** A real LSP client connection to the built server (dist/server.js) over stdio. */
export class TestClient {
  readonly connection: ProtocolConnection;
  private readonly child: ChildProcess;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: { uri: string; test: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  stderr = '';
  /** What the server logged (`window/logMessage`), in order. */
  readonly logs: string[] = [];
  private readonly logWaiters: { test: RegExp; resolve: (message: string) => void }[] = [];

  /** `env`: added to this process's environment for the server. */
  constructor(args: string[] = ['--stdio'], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [path.join(REPO, 'dist/server.js'), ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    const reader = new StreamMessageReader(this.child.stdout!);
    // No partial-message timer: one re-arms itself every 10 s while a message stays cut short (a
    // server stopped mid-write), and would keep the test process from ever exiting.
    reader.partialMessageTimeout = 0;
    this.connection = createProtocolConnection(reader, new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const list = this.diagnostics.get(p.uri) ?? [];
      list.push(p);
      this.diagnostics.set(p.uri, list);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && w.test(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p.message);
      for (const w of [...this.logWaiters]) if (w.test.test(p.message)) w.resolve(p.message);
    });
    this.connection.listen();
  }

  async initialize(rootPath: string, initializationOptions?: Record<string, unknown>): Promise<InitializeResult> {
    const uri = `file://${rootPath}`;
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: uri, capabilities: { workspace: { workspaceFolders: true } }, workspaceFolders: [{ uri, name: 'ws' }], initializationOptions,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  /** The next diagnostics published for a URI that pass `test` (already received ones count). */
  diagnosticsFor(uri: string, test: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    const seen = (this.diagnostics.get(uri) ?? []).slice().reverse().find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(this.diagnostics.get(uri) ?? [])}; server stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ uri, test, resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
  }

  /** The first logged message that matches (already logged ones count). */
  logged(test: RegExp, timeoutMs = 10_000): Promise<string> {
    const seen = this.logs.find((m) => test.test(m));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing logged matches ${test} within ${timeoutMs} ms; logged: ${this.logs.join('\n')}; stderr: ${this.stderr}`)), timeoutMs);
      this.logWaiters.push({ test, resolve: (m) => { clearTimeout(timer); resolve(m); } });
    });
  }

  clearDiagnostics(): void {
    this.diagnostics.clear();
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the exit code once the server process has ended. */
  exited(): Promise<number | null> {
    if (!this.alive) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch { /* already gone */ }
    this.connection.dispose();
    this.child.kill();
  }
}

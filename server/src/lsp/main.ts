import * as v8 from 'node:v8';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { described } from './guard';
import { KpiServer } from './server';

/**
 * How much V8 lets the heap grow past what was live after a full collection before the next
 * one: (1 + percent / 100) times. Left to itself, it picks up to 4 times when collecting is
 * fast, and the server then kept hundreds of MB of dead text: every change of a large spec
 * brings its whole text (a 4 MB file is an 8 MB string, twice: the message and its parse), and
 * strings that large go straight to the old generation. Set before the evaluation worker
 * starts, so it applies there too. A flag given to node (or NODE_OPTIONS) wins.
 */
const HEAP_GROWING_PERCENT = 30;

function tuneHeap(): void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => /heap[-_]growing[-_]percent/.test(a));
  if (!given) v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/**
 * Starts the language server. Editors pass `--stdio` or `--node-ipc` (the VS Code client);
 * with neither, it speaks over standard input and output.
 */
export function startServer(argv: string[] = process.argv): void {
  tuneHeap();
  const ipc = argv.includes('--node-ipc') || argv.some((a) => a.startsWith('--socket') || a.startsWith('--pipe'));
  const connection = ipc ? createConnection(ProposedFeatures.all) : createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  keepRunning((message) => connection.console.error(message));
  new KpiServer(connection).listen();
}

/**
 * The last resort: whatever escapes every handler is logged and the server goes on. Exiting
 * would cost every open file its problems, and the editor gives up restarting after a few
 * crashes. The server still ends when the client asks or goes away.
 */
function keepRunning(log: (message: string) => void): void {
  const report = (what: string) => (e: unknown) => {
    const text = `kpispec: ${what}, the server goes on: ${described(e)}`;
    try {
      log(text);
    } catch {
      process.stderr.write(`${text}\n`);
    }
  };
  process.on('uncaughtException', report('uncaught exception'));
  process.on('unhandledRejection', report('unhandled rejection'));
}


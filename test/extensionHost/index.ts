import Mocha from 'mocha';
import { closeEverything } from './util';

/**
 * The extension host test entry (`extensionTestsPath`, bundled to out/test/index.js): VS Code,
 * code-server and @vscode/test-electron all load it in the extension host and call `run()`.
 * The suites are bundled in; mocha's globals are installed before they load.
 */
export function run(): Promise<void> {
  // Longer than util's `until` limit, so a wait that never ends reports what it awaited.
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec', forbidOnly: true });
  mocha.suite.emit('pre-require', globalThis, 'extension-host', mocha);
  // Each test starts from the same state, so one failure leaves nothing behind for the next.
  mocha.suite.beforeEach(closeEverything);
  require('./extension.eh');
  require('./language.eh');
  require('./preview.eh');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} extension host test(s) failed`)) : resolve()));
  });
}

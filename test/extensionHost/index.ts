import Mocha from 'mocha';

/**
 * The extension host test entry (`extensionTestsPath`, bundled to out/test/index.js): VS Code,
 * code-server and @vscode/test-electron all load it in the extension host and call `run()`.
 * The suites are bundled in; mocha's globals are installed before they load.
 */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec', forbidOnly: true });
  mocha.suite.emit('pre-require', globalThis, 'extension-host', mocha);
  require('./extension.eh');
  require('./language.eh');
  require('./preview.eh');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} extension host test(s) failed`)) : resolve()));
  });
}

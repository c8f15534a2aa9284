// The `kpispec` command's entry (dist/cli.js): runs the bundle (dist/cliMain.js) from V8's code
// cache. Compiling the 1 MB bundle is about a third of a short command's CPU (`check` on a small
// spec, `--version`); with the cache the bytecode is loaded instead of compiled. This is what
// node 22's module.enableCompileCache() does; node 20 lacks it. The cache lives in the user's own
// cache folder, not a shared temporary one: loaded bytecode runs as code. A cache that cannot be
// read or written (read-only home, another node) only costs the compile.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off, as for node's own cache.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import Module = require('node:module');

const bundle = path.join(__dirname, 'cliMain.js');
const source = fs.readFileSync(bundle, 'utf8');
const cacheFile = process.env.NODE_DISABLE_COMPILE_CACHE ? undefined : cachePath(source, process.argv[2]);
const cachedData = cacheFile ? readOrUndefined(cacheFile) : undefined;
const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
if (cacheFile && (!cachedData || script.cachedDataRejected)) {
  // At exit, the functions this command compiled lazily are in the cache too.
  process.once('exit', () => writeAtomically(cacheFile, () => script.createCachedData()));
}

const bundleModule = new Module(bundle, module);
bundleModule.filename = bundle;
bundleModule.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(__dirname);
const bundleRequire = Object.assign((id: string) => bundleModule.require(id), {
  resolve: (id: string) => require.resolve(id, { paths: bundleModule.paths }),
  main: bundleModule,
  cache: require.cache,
});
process.argv[1] = bundle;
(script.runInThisContext() as (...args: unknown[]) => void).call(bundleModule.exports, bundleModule.exports, bundleRequire, bundleModule, bundle, __dirname);

/** One file per node version, bundle content and command: each command caches what it compiles. */
function cachePath(text: string, command: string | undefined): string {
  const key = crypto.createHash('sha1').update(process.version).update(text).digest('hex').slice(0, 16);
  const name = /^[a-z]+$/.test(command ?? '') ? command : 'other';
  return path.join(userCacheFolder(), 'kpispec', 'compile-cache', `${key}-${name}.bin`);
}

function userCacheFolder(): string {
  if (process.platform === 'win32') return process.env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches');
  return process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written beside and renamed into place: a process starting meanwhile reads a whole file or none. */
function writeAtomically(file: string, data: () => Buffer): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, data());
    fs.renameSync(partial, file);
  } catch {
    // no cache this time
  }
}

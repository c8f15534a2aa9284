import { createRequire } from 'node:module';

/**
 * The database clients are optional and native: they are required when a SQL engine runs,
 * never at startup, and never bundled (the require goes through createRequire, which esbuild
 * leaves alone), so `kpispec check` and the language server work without them.
 */
export class MissingClientError extends Error {}

export function requireClient<T>(name: string, engine: string): T {
  const req = createRequire(typeof __filename === 'string' ? __filename : process.cwd() + '/');
  try {
    return req(name) as T;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new MissingClientError(`--engine ${engine} needs the npm package \`${name}\`; install it next to kpispec (npm install ${name})`);
    }
    throw new MissingClientError(`--engine ${engine}: the npm package \`${name}\` cannot be loaded: ${(e as Error).message}`);
  }
}

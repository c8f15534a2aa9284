import * as path from 'node:path';

/**
 * Test hook, for the protocol tests only: with KPISPEC_TEST_FAULT=analyse:<file name> set when
 * the server starts, analysing a spec of that name (checking it, building its snapshot) throws,
 * as a bug in the checker would. Unset, as it always is in use, it does nothing.
 */
const [stage, name] = (process.env.KPISPEC_TEST_FAULT ?? '').split(':');

export function injectedFault(file: string): void {
  if (stage === 'analyse' && name && path.basename(file) === name) throw new Error(`injected fault analysing ${name} (KPISPEC_TEST_FAULT)`);
}

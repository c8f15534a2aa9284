import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..');

/** A scratch copy of samples/ (specs and data) that a test may edit freely. */
export function copySamples(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kpispec-ws-'));
  cpSync(join(REPO, 'samples'), dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

import type { SpecFile } from '../language/model';
import type { Scope, Workspace } from '../language/workspace';

/** One spec file as the editor features see it: its model, what is in scope, the workspace. */
export interface Snapshot {
  ws: Workspace;
  file: string;
  text: string;
  spec: SpecFile;
  scope: Scope;
}

/** The snapshot of a loaded spec file, or undefined when it could not be read. */
export function snapshotOf(ws: Workspace, file: string): Snapshot | undefined {
  const parsed = ws.load(file).parsed;
  if (!parsed) return undefined;
  return { ws, file, text: parsed.spec.text, spec: parsed.spec, scope: ws.scope(file) };
}

/** Snapshots of the given files, the current one (as given) included once. */
export function snapshotsOf(ws: Workspace, files: string[], snap: Snapshot): Snapshot[] {
  const out: Snapshot[] = [snap];
  const seen = new Set([snap.file]);
  for (const f of files) {
    if (seen.has(f)) continue;
    seen.add(f);
    const s = snapshotOf(ws, f);
    if (s) out.push(s);
  }
  return out;
}

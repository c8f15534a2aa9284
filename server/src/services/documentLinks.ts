import { nameSpan } from './definitionTarget';
import { referencesOf } from './references';
import type { Snapshot } from './snapshot';
import type { Link } from './types';

/**
 * Links for the paths of `imports:` and of sources' `file:` that exist, each over the path as
 * written (inside its quotes), to the absolute path it names.
 */
export function documentLinks(snap: Snapshot): Link[] {
  const out: Link[] = [];
  for (const r of referencesOf(snap)) {
    if (r.kind !== 'path' || r.resolved === undefined) continue;
    if (snap.ws.host.realpath(r.resolved) === undefined) continue;
    out.push({ span: nameSpan(snap.text, r.span, r.name), target: r.resolved });
  }
  return out;
}

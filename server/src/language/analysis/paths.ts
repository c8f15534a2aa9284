import * as path from 'node:path';
import type { Host } from '../../data/host';
import { closest } from '../suggest';

/** The written path with its file name replaced by the closest existing one, if any is close. */
export function suggestPath(host: Host, fromFile: string, written: string, accept: (name: string) => boolean): string | undefined {
  const dir = path.dirname(path.resolve(path.dirname(fromFile), written));
  const name = path.basename(written);
  const best = closest(name, host.listDir(dir).filter(accept));
  if (!best) return undefined;
  const prefix = written.slice(0, written.length - name.length);
  return prefix + best;
}

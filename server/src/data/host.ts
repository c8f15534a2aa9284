import type { ShapeOptions, ShapeResult } from './shape';

export type ReadResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'missing' | 'too-large' | 'unreadable' | 'invalid-encoding'; message: string };

/** Everything the checker needs from the outside world; the language server overlays open documents. */
export interface Host {
  /** A spec file's text. */
  readSpec(path: string): ReadResult;
  /** The real path (symlinks resolved), or undefined when the path does not exist. */
  realpath(path: string): string | undefined;
  /** Names of the files in a folder (empty when it cannot be read), for did-you-mean on paths. */
  listDir(dir: string): string[];
  /** The columns and likely types of a data file, reading only its start. */
  dataShape(path: string, options: ShapeOptions): ShapeResult;
}

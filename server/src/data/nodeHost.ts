import * as fs from 'node:fs';
import type { Host, ReadResult } from './host';
import { notAFile } from './regularFile';
import { readDataShape, type ShapeOptions, type ShapeResult } from './shape';

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

/** The host over the real file system; data shapes are cached by path, size and mtime. */
export class NodeHost implements Host {
  private readonly shapes = new Map<string, { key: string; result: ShapeResult }>();

  /** False in an untrusted workspace: data files are then never opened. */
  readData = true;

  constructor(private readonly maxFileSize = DEFAULT_MAX_FILE_SIZE) {}

  readSpec(path: string): ReadResult {
    let bytes: Buffer;
    try {
      const stat = fs.statSync(path);
      if (stat.isDirectory()) return { ok: false, reason: 'unreadable', message: 'it is a folder, not a spec file' };
      const refused = notAFile(path);
      if (refused) return { ok: false, reason: 'unreadable', message: refused };
      if (stat.size > this.maxFileSize) {
        return { ok: false, reason: 'too-large', message: `the file is ${mb(stat.size)}, over the ${mb(this.maxFileSize)} limit; split it with \`imports\` or raise --max-file-size` };
      }
      bytes = fs.readFileSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { ok: false, reason: 'missing', message: 'the file does not exist' };
      return { ok: false, reason: 'unreadable', message: `it cannot be read (${code ?? 'error'})` };
    }
    return decodeSpec(bytes);
  }

  realpath(path: string): string | undefined {
    try {
      return fs.realpathSync(path);
    } catch {
      return undefined;
    }
  }

  listDir(dir: string): string[] {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  }

  dataShape(path: string, options: ShapeOptions): ShapeResult {
    if (!this.readData) return { ok: false, withheld: true, message: 'data files are not read in an untrusted workspace' };
    let key: string;
    try {
      const stat = fs.statSync(path);
      key = `${stat.size}:${stat.mtimeMs}:${options.format}:${options.delimiter ?? ''}:${options.decimal ?? ''}:${options.thousands ?? ''}:${options.encoding ?? ''}`;
    } catch {
      return { ok: false, message: 'it does not exist' };
    }
    const cached = this.shapes.get(path);
    if (cached?.key === key) return cached.result;
    const result = readDataShape(path, options);
    this.shapes.set(path, { key, result });
    return result;
  }
}

/** Spec files are UTF-8 text: refuse binary files and invalid byte sequences with a clear reason. */
export function decodeSpec(bytes: Uint8Array): ReadResult {
  if (bytes.includes(0)) return { ok: false, reason: 'invalid-encoding', message: 'this is a binary file, not a YAML spec' };
  try {
    let text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { ok: true, text };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return { ok: false, reason: 'invalid-encoding', message: `the file is not valid UTF-8 (first bad byte at offset ${at}); save it as UTF-8` };
  }
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix, found by bisection on whole prefixes (stream mode tolerates a cut sequence).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid), { stream: true });
      decoder.decode();
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

function mb(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

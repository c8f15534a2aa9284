import * as fs from 'node:fs';
import type { Host, ReadResult } from '../data/host';
import type { ShapeOptions, ShapeResult } from '../data/shape';
import { DEFAULT_MAX_FILE_SIZE } from '../data/nodeHost';
import { tooLargeMessage } from './specSizeLimit';

/**
 * The file system as the editor sees it: open documents' unsaved text wins over the disk. An
 * open document over the size limit is refused as a file on disk would be, so a huge document
 * is never parsed. The disk host should have the same limit; either refusal names the editor's
 * setting, not the command line's option.
 */
export class OverlayHost implements Host {
  private readonly open = new Map<string, string>();

  constructor(private readonly disk: Host, private readonly maxFileSize = DEFAULT_MAX_FILE_SIZE) {}

  setOpen(file: string, text: string | undefined): void {
    if (text === undefined) this.open.delete(file);
    else this.open.set(file, text);
  }

  isOpen(file: string): boolean {
    return this.open.has(file);
  }

  readSpec(file: string): ReadResult {
    const text = this.open.get(file);
    if (text === undefined) return this.readDisk(file);
    // UTF-8 takes at least a byte per UTF-16 unit: count the bytes only when it may matter.
    const bytes = text.length * 3 > this.maxFileSize ? Buffer.byteLength(text) : 0;
    if (bytes > this.maxFileSize) return { ok: false, reason: 'too-large', message: tooLargeMessage('document', bytes, this.maxFileSize) };
    return { ok: true, text };
  }

  private readDisk(file: string): ReadResult {
    const read = this.disk.readSpec(file);
    if (read.ok || read.reason !== 'too-large') return read;
    let bytes: number;
    try {
      bytes = fs.statSync(file).size;
    } catch {
      return read;
    }
    return { ok: false, reason: 'too-large', message: tooLargeMessage('file', bytes, this.maxFileSize) };
  }

  realpath(file: string): string | undefined {
    return this.open.has(file) ? file : this.disk.realpath(file);
  }

  listDir(dir: string): string[] {
    return this.disk.listDir(dir);
  }

  dataShape(file: string, options: ShapeOptions): ShapeResult {
    return this.disk.dataShape(file, options);
  }
}

import type { Host, ReadResult } from '../data/host';
import type { ShapeOptions, ShapeResult } from '../data/shape';
import { DEFAULT_MAX_FILE_SIZE } from '../data/nodeHost';

/**
 * The file system as the editor sees it: open documents' unsaved text wins over the disk. An
 * open document over the size limit is refused as a file on disk would be, so a huge document
 * is never parsed.
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
    if (text === undefined) return this.disk.readSpec(file);
    // UTF-8 takes at least a byte per UTF-16 unit: count the bytes only when it may matter.
    const bytes = text.length * 3 > this.maxFileSize ? Buffer.byteLength(text) : 0;
    if (bytes > this.maxFileSize) return { ok: false, reason: 'too-large', message: `the document is ${mb(bytes)}, over the ${mb(this.maxFileSize)} limit; split it with \`imports\`` };
    return { ok: true, text };
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

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

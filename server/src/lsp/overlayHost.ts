import type { Host, ReadResult } from '../language/host';
import type { ShapeOptions, ShapeResult } from '../data/shape';

/** The file system as the editor sees it: open documents' unsaved text wins over the disk. */
export class OverlayHost implements Host {
  private readonly open = new Map<string, string>();

  constructor(private readonly disk: Host) {}

  setOpen(file: string, text: string | undefined): void {
    if (text === undefined) this.open.delete(file);
    else this.open.set(file, text);
  }

  isOpen(file: string): boolean {
    return this.open.has(file);
  }

  readSpec(file: string): ReadResult {
    const text = this.open.get(file);
    return text !== undefined ? { ok: true, text } : this.disk.readSpec(file);
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

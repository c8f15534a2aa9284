import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Encoding } from '../../data/encoding';

/**
 * UTF-8 copies of data files in encodings DuckDB's CSV reader does not decode (GB18030, GBK,
 * Big5, Shift_JIS, EUC-KR, Windows-1252, Latin-1), decoded as the in-process reader decodes
 * them, in a temporary folder removed by `dispose`. Streamed: a file of any size costs a buffer.
 */
export class Utf8Copies {
  private dir?: string;
  private readonly made = new Map<string, string>();

  copy(file: string, encoding: Encoding): string {
    const key = `${encoding}\u0000${file}`;
    let out = this.made.get(key);
    if (out) return out;
    this.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'kpispec-utf8-'));
    out = path.join(this.dir, `${this.made.size + 1}-${path.basename(file)}`);
    transcode(file, encoding, out);
    this.made.set(key, out);
    return out;
  }

  dispose(): void {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.made.clear();
  }
}

function transcode(file: string, encoding: Encoding, out: string): void {
  const decoder = new TextDecoder(encoding);
  const chunk = Buffer.allocUnsafe(1 << 20);
  const input = fs.openSync(file, 'r');
  const output = fs.openSync(out, 'w');
  try {
    for (let n; (n = fs.readSync(input, chunk, 0, chunk.length, null)) > 0; ) fs.writeSync(output, decoder.decode(chunk.subarray(0, n), { stream: true }));
    fs.writeSync(output, decoder.decode());
  } finally {
    fs.closeSync(input);
    fs.closeSync(output);
  }
}

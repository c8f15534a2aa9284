import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');

/** A real spec to start mutating from: its workspace root (data files are read from there), its path and text. */
export interface Base {
  name: string;
  root: string;
  file: string;
  text: string;
}

function specsIn(dir: string, root = dir): Base[] {
  return fs.readdirSync(dir).filter((f) => /\.kpi\.ya?ml$/.test(f)).sort().map((f) => {
    const file = path.join(dir, f);
    return { name: path.relative(REPO, file), root, file, text: fs.readFileSync(file, 'utf8') };
  });
}

/**
 * The samples and the broken fixtures (every rule's input shape). The too-large and
 * wrongly-encoded fixtures are left out: their text is not what the checker would read.
 */
export function corpus(): Base[] {
  const broken = path.join(REPO, 'test/fixtures/broken');
  return [
    ...specsIn(path.join(REPO, 'samples')),
    ...specsIn(broken).filter((b) => !/file-too-large|invalid-encoding/.test(b.name)),
    ...specsIn(path.join(broken, 'imports'), broken),
  ];
}

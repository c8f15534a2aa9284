import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The rooms of server/src, bottom up (README, Development): each imports only the rooms below
 * it, so that a change low in the house never reaches up. `protocol.ts` is the faces' word.
 */
const BELOW: Record<string, string[]> = {
  data: [],
  language: ['data'],
  engine: ['data', 'language'],
  explain: ['data', 'language', 'engine'],
  diff: ['data', 'language', 'engine', 'explain'],
  sql: ['data', 'language', 'engine'],
  services: ['data', 'language', 'engine', 'explain'],
  protocol: ['language', 'engine', 'explain'],
  lsp: ['data', 'language', 'engine', 'explain', 'services', 'protocol'],
  cli: ['data', 'language', 'engine', 'explain', 'diff', 'sql', 'lsp'],
};
const PURE = ['data', 'language', 'engine', 'explain', 'diff', 'sql', 'services'];
const SRC = path.resolve(__dirname, '../server/src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The room of a file under server/src (`protocol` for protocol.ts), undefined outside it (the schema, package.json). */
function roomOf(file: string): string | undefined {
  const rel = path.relative(SRC, file);
  if (rel.startsWith('..')) return undefined;
  return rel.split(path.sep)[0]!.replace(/\.ts$/, '');
}

describe('the rooms stack', () => {
  const files = sources(SRC);

  it('finds the rooms', () => {
    assert.ok(files.length > 100);
    for (const room of Object.keys(BELOW)) assert.ok(files.some((f) => roomOf(f) === room), room);
  });

  it('has no import that runs upwards or sideways', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const room = roomOf(file)!;
      const allowed = BELOW[room];
      if (!allowed) continue;
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)) {
        const target = roomOf(path.resolve(path.dirname(file), m[1]!));
        if (target !== undefined && target !== room && !allowed.includes(target)) wrong.push(`${path.relative(SRC, file)} imports ${m[1]} (${target})`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('keeps the pure rooms free of editor and LSP packages', () => {
    const leaks = files.filter((f) => PURE.includes(roomOf(f)!) && /from '(vscode|vscode-languageserver[^']*|vscode-languageclient[^']*)'/.test(fs.readFileSync(f, 'utf8')));
    assert.deepEqual(leaks.map((f) => path.relative(SRC, f)), []);
  });
});

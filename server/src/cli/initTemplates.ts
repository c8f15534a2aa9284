import * as fs from 'node:fs';
import * as path from 'node:path';

/** A starter workspace under templates/<name>/: its files, and what template.json says of it. */
export interface Template {
  name: string;
  title: string;
  description: string;
  /** Paths relative to the template folder, '/'-separated, sorted; template.json excluded. */
  files: string[];
  dir: string;
}

export const DEFAULT_TEMPLATE = 'shop';
const MANIFEST = 'template.json';

/**
 * The templates folder ships beside the bundle (dist/cli.js → templates/) and sits at the
 * repository root when run from source (server/src/cli → templates/).
 */
export function templatesRoot(): string {
  const candidates = [path.resolve(__dirname, '../templates'), path.resolve(__dirname, '../../../templates')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, DEFAULT_TEMPLATE, MANIFEST)));
  if (!found) throw new Error(`the templates folder is missing (looked in ${candidates.join(', ')})`);
  return found;
}

/** Every template, in the order template.json's `order` gives (smallest business first). */
export function listTemplates(root = templatesRoot()): Template[] {
  const templates: (Template & { order: number })[] = [];
  for (const name of fs.readdirSync(root).sort()) {
    const dir = path.join(root, name);
    const manifest = path.join(dir, MANIFEST);
    if (!fs.existsSync(manifest)) continue;
    const meta = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { title: string; description: string; order: number };
    templates.push({ name, title: meta.title, description: meta.description, order: meta.order, dir, files: filesBelow(dir) });
  }
  return templates.sort((a, b) => a.order - b.order).map(({ order: _order, ...t }) => t);
}

function filesBelow(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...filesBelow(dir, rel));
    else if (rel !== MANIFEST) out.push(rel);
  }
  return out.sort();
}

import type { Lineage, LineageNode } from '../language/lineage';
import type { DefKind } from '../language/model';

/** A node's place for people: the file relative to the current folder, 1-based line and column. */
export type Place = (node: LineageNode) => { file: string; line: number; column: number };

export const LINEAGE_FORMATS = ['text', 'mermaid', 'dot', 'json'] as const;
export type LineageFormat = (typeof LINEAGE_FORMATS)[number];

const GROUPS: [DefKind, string][] = [['source', 'Sources'], ['metric', 'Metrics'], ['kpi', 'KPIs'], ['goal', 'Goals']];

/** Each node's inputs, `from (how)` for a relation between sources. */
function inputs(lineage: Lineage): Map<string, string[]> {
  const byKey = new Map(lineage.nodes.map((n) => [n.key, n]));
  const out = new Map<string, string[]>();
  for (const e of lineage.edges) {
    const from = byKey.get(e.from)!;
    const list = out.get(e.to) ?? [];
    list.push(e.how === 'rolls up' || e.how === 'looks up' ? `${from.id} (${e.how})` : from.id);
    out.set(e.to, list);
  }
  return out;
}

/** Upstream first, each definition with what it is computed from. */
function text(lineage: Lineage, selected: Set<string>): string {
  const from = inputs(lineage);
  const lines: string[] = [];
  for (const [kind, heading] of GROUPS) {
    const nodes = lineage.nodes.filter((n) => n.kind === kind);
    if (!nodes.length) continue;
    lines.push(heading);
    const width = Math.max(...nodes.map((n) => n.id.length));
    for (const n of nodes) {
      const ins = from.get(n.key);
      const mark = selected.has(n.key) ? '*' : ' ';
      lines.push(`${mark} ${n.id.padEnd(width)}${n.title ? `  ${n.title}` : ''}${ins ? `  ← ${ins.join(', ')}` : ''}`.trimEnd());
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Text inside a quoted Mermaid label: its own entity codes for the characters that end or mark up a label. */
function mermaidText(s: string): string {
  return s.replace(/[#"<>&]/g, (c) => ({ '#': '#35;', '"': '#quot;', '<': '#lt;', '>': '#gt;', '&': '#amp;' })[c]!).replace(/\s+/g, ' ');
}

const MERMAID_SHAPE: Record<DefKind, [string, string]> = { source: ['[(', ')]'], metric: ['[', ']'], kpi: ['([', '])'], goal: ['{{', '}}'] };

/** A Mermaid flowchart, left to right, one subgraph per kind; renders in GitHub and GitLab Markdown. */
export function mermaid(lineage: Lineage, selected: Set<string>): string {
  const ids = new Map(lineage.nodes.map((n, i) => [n.key, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const [kind, heading] of GROUPS) {
    const nodes = lineage.nodes.filter((n) => n.kind === kind);
    if (!nodes.length) continue;
    lines.push(`  subgraph ${kind}s [${heading}]`);
    const [open, close] = MERMAID_SHAPE[kind];
    for (const n of nodes) {
      const label = n.title ? `${mermaidText(n.id)}<br/><small>${mermaidText(n.title)}</small>` : mermaidText(n.id);
      lines.push(`    ${ids.get(n.key)}${open}"${label}"${close}`);
    }
    lines.push('  end');
  }
  for (const e of lineage.edges) lines.push(`  ${ids.get(e.from)} -->${e.how === 'names' || e.how === 'reads' || e.how === 'key result' ? '' : `|${e.how}|`} ${ids.get(e.to)}`);
  if (selected.size) {
    lines.push('  classDef selected stroke-width:3px');
    lines.push(`  class ${[...selected].map((k) => ids.get(k)).filter(Boolean).join(',')} selected`);
  }
  return lines.join('\n') + '\n';
}

const DOT_SHAPE: Record<DefKind, string> = { source: 'cylinder', metric: 'box', kpi: 'ellipse', goal: 'hexagon' };
const dotString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** A Graphviz digraph, left to right. */
function dot(lineage: Lineage, selected: Set<string>): string {
  const lines = ['digraph lineage {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=11];'];
  for (const n of lineage.nodes) {
    const label = n.title ? `${n.id}\n${n.title}` : n.id;
    lines.push(`  ${dotString(n.key)} [label=${dotString(label)}, shape=${DOT_SHAPE[n.kind]}${selected.has(n.key) ? ', penwidth=3' : ''}];`);
  }
  for (const e of lineage.edges) lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)}${e.how === 'rolls up' || e.how === 'looks up' ? ` [label=${dotString(e.how)}]` : ''};`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

function json(lineage: Lineage, selected: Set<string>, place: Place): string {
  return JSON.stringify({
    nodes: lineage.nodes.map((n) => ({ key: n.key, kind: n.kind, id: n.id, ...(n.title ? { title: n.title } : {}), ...place(n), ...(selected.has(n.key) ? { selected: true } : {}) })),
    edges: lineage.edges.map(({ from, to, how }) => ({ from, to, how })),
  }, null, 2) + '\n';
}

export function formatLineage(format: LineageFormat, lineage: Lineage, selected: Set<string>, place: Place): string {
  switch (format) {
    case 'text': return text(lineage, selected);
    case 'mermaid': return mermaid(lineage, selected);
    case 'dot': return dot(lineage, selected);
    case 'json': return json(lineage, selected, place);
  }
}

// Generates two versions of a 2,000-KPI workspace for the diff benchmark: 4 folders × 5 spec files
// × 100 KPIs, a small CSV per folder; the "after" version changes 100 KPIs (5%). Deterministic.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { specText } from '../check/generate.mjs';

export const FOLDERS = 4;
export const FILES_PER_FOLDER = 5;
export const KPIS_PER_FILE = 100;

const CSV = 'date,channel,device,region,sessions,bounces,orders,revenue,ad_spend\n' +
  Array.from({ length: 120 }, (_, i) => {
    const channel = ['email', 'social', 'search'][i % 3];
    const device = i % 2 ? 'mobile' : 'desktop';
    const month = String((i % 12) + 1).padStart(2, '0');
    return `2026-${month}-${String((i % 28) + 1).padStart(2, '0')},${channel},${device},华东,${100 + i},${30 + (i % 40)},${5 + (i % 7)},${(500 + i * 3.5).toFixed(2)},${(100 + i).toFixed(2)}`;
  }).join('\n') + '\n';

/** The KPI block (its id line to the line before the next KPI or goals) of kpi_<tag>_<i>. */
function kpiBlock(lines, tag, i) {
  const start = lines.indexOf(`  kpi_${tag}_${i}:`);
  if (start < 0) throw new Error(`no kpi_${tag}_${i}`);
  let end = start + 1;
  while (end < lines.length && lines[end].startsWith('    ')) end++;
  return [start, end];
}

function editKpi(lines, tag, i, fn) {
  const [start, end] = kpiBlock(lines, tag, i);
  for (let k = start; k < end; k++) lines[k] = fn(lines[k]);
}

/**
 * The "after" edits of one file (file index f, 0..19). Over the 20 files: 40 formula edits, 40
 * target changes, 5 renames, 3 metrics with a changed `where` (3 KPIs each: 9 affected), 3 KPIs
 * removed, 3 added: 100 KPIs.
 */
function changeFile(text, tag, f) {
  const lines = text.split('\n');
  // Formula edits: (a - b) / b → (a - b) / a.
  for (const i of [21, 41]) {
    editKpi(lines, tag, i, (l) => l.replace(/^(    formula: \((\S+) - (\S+)\) \/ )\S+$/, (_, head, a) => `${head}${a}`));
  }
  // Target changes: the dated step from 2026-07 moves from 15% to 18%.
  for (const i of [61, 81]) editKpi(lines, tag, i, (l) => l.replace('{ from: 2026-07, min: 15% }', '{ from: 2026-07, min: 18% }'));
  // Renames (outside the goal, definition unchanged).
  if (f < 5) {
    const [start] = kpiBlock(lines, tag, 99);
    lines[start] = `  kpi_${tag}_99_renamed:`;
  }
  // A metric's where: m_<tag>_50 is used by KPIs 50, 51 and 52.
  if (f >= 5 && f < 8) {
    const at = lines.findIndex((l) => l.startsWith(`  m_${tag}_50: `));
    lines[at] = lines[at].replace(' }', `, where: 'device == "mobile"' }`);
  }
  // Removed KPIs (outside the goal).
  if (f >= 8 && f < 11) {
    const [start, end] = kpiBlock(lines, tag, 98);
    lines.splice(start, end - start);
  }
  // Added KPIs, before the goals.
  if (f >= 11 && f < 14) {
    const at = lines.indexOf('goals:');
    lines.splice(at, 0, `  kpi_${tag}_new:`, `    title: New KPI ${tag}`, `    formula: m_${tag}_3 / m_${tag}_4`, '    format: percent', '    direction: up', '    target: 50%');
  }
  return lines.join('\n');
}

/** Writes <dir>/before and <dir>/after; returns the number of KPIs per side. */
export function generate(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  let f = 0;
  for (let d = 0; d < FOLDERS; d++) {
    for (const side of ['before', 'after']) {
      const folder = path.join(dir, side, `team${d}`);
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, 'web.csv'), CSV);
    }
    for (let k = 0; k < FILES_PER_FOLDER; k++, f++) {
      const tag = `f${f}`;
      const name = `spec${k}.kpi.yaml`;
      const text = specText(KPIS_PER_FILE, tag, 'web.csv');
      fs.writeFileSync(path.join(dir, 'before', `team${d}`, name), text);
      fs.writeFileSync(path.join(dir, 'after', `team${d}`, name), changeFile(text, tag, f));
    }
  }
  return FOLDERS * FILES_PER_FOLDER * KPIS_PER_FILE;
}

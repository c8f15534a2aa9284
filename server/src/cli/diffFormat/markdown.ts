import type { DiffResult, Entry } from '../../diff/result';
import { changeLines, entryHead, KIND_NAME, KIND_TITLE, movesLines, statusCell, summaryLine, whatChanged } from './describe';

/** Spec text in Markdown: HTML characters as entities, so nothing written in a spec becomes markup. */
const text = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** A table cell: text, with its pipes and line breaks made harmless. */
const cell = (s: string) => text(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** Inline code whose fence is longer than any backtick run inside it (padded when it starts or ends with one). */
const code = (s: string) => {
  const fence = '`'.repeat(Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length)) + 1);
  const pad = /^`|`$/.test(s) ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
};

/**
 * For a pull-request comment: a summary line, a table of KPIs with their numbers, details folded;
 * `lineage`, a Mermaid flowchart of the changed KPIs, folded last (GitHub and GitLab draw it).
 */
export function markdownFormat(result: DiffResult, lineage?: string): string {
  const out: string[] = [];
  for (const side of [result.before, result.after]) {
    if (!side.broken) continue;
    out.push(`**kpispec diff**: cannot compare, the ${side.label} side does not parse.`, '');
    for (const p of side.problems) out.push(`- ${code(`${p.file}:${p.line}:${p.column}`)} ${cell(p.message)} (${p.rule})`);
    out.push('');
  }
  if (result.before.broken || result.after.broken) return out.join('\n');

  const summary = summaryLine(result);
  if (!summary) return `**kpispec diff**: no semantic change (${result.files.length} spec file${result.files.length === 1 ? '' : 's'} compared).\n`;
  out.push(`**kpispec diff**: ${summary}`, '');

  if (result.breaking.length) {
    out.push('**Breaking changes**', '');
    for (const b of result.breaking) out.push(`- ${text(b.message)}`);
    out.push('');
  }

  const kpis = result.entries.filter((e) => e.kind === 'kpi');
  if (kpis.length) {
    out.push('| KPI | What changed | Before | After | Status |', '|---|---|--:|--:|---|');
    for (const e of kpis) {
      out.push(`| ${code(e.id)} | ${cell(whatChanged(e))} | ${cell(e.impact?.before?.text ?? '')} | ${cell(e.impact?.after?.text ?? '')} | ${cell(statusCell(e.impact))} |`);
    }
    out.push('');
    const moving = kpis.filter((e) => movesLines(e.impact, code).length);
    if (moving.length) {
      out.push(`<details><summary>What moves the numbers (${moving.length})</summary>`, '');
      for (const e of moving) {
        out.push(`- ${code(e.id)}`);
        for (const line of movesLines(e.impact, code)) out.push(`  - ${cell(line)}`);
      }
      out.push('', '</details>', '');
    }
  }

  const files = result.files.filter((f) => f.change === 'added' || f.change === 'removed');
  if (files.length) {
    out.push('<details><summary>Files (' + files.length + ')</summary>', '');
    for (const f of files) out.push(`- ${code(f.path)} ${f.change}`);
    out.push('', '</details>', '');
  }

  for (const kind of ['goal', 'kpi', 'metric', 'source'] as const) {
    const entries = result.entries.filter((e) => e.kind === kind);
    if (!entries.length) continue;
    out.push(`<details><summary>${KIND_TITLE[kind]} (${entries.length})</summary>`, '');
    for (const e of entries) out.push(...entryLines(e));
    out.push('', '</details>', '');
  }
  if (lineage) out.push('<details><summary>Lineage of the changed KPIs</summary>', '', '```mermaid', lineage.trimEnd(), '```', '', '</details>', '');
  return out.join('\n');
}

function entryLines(e: Entry): string[] {
  const out = [`- ${KIND_NAME[e.kind]} ${entryHead(e, code)} (${code(e.file)})`];
  for (const c of e.changes) {
    const { line, items } = changeLines(c, code);
    out.push(`  - ${line}`);
    for (const i of items) out.push(`    - ${i}`);
  }
  return out;
}

import { formatDay, STATUS_MARK, STATUS_TEXT } from '../../engine/format';
import { gradeText, paceText, percentText, TRACK_MARK, TRACK_TEXT } from '../../engine/goalFormat';
import type { EvalResult, GoalResult, Status, Track } from '../../engine/results';
import { textWidth } from '../format/stylish';

const TRACK_STATUS: Record<Track, Status> = { on_track: 'met', at_risk: 'at_risk', off_track: 'missed' };

/**
 * The goals block of the terminal scorecard: per goal its graded attainment, title, due date,
 * track and share met, then one line per key result: its score, the value graded from its
 * baseline toward its target, and its projection to the due date.
 */
export function goalsText(result: EvalResult, paint: (code: string, text: string) => string, colors: Record<Status, string>, dim: string): string[] {
  const out: string[] = [];
  const kpis = new Map(result.kpis.map((k) => [k.id, k]));
  for (const g of result.goals) {
    const att = percentText(g.attainment, result.locale);
    const facts = goalFacts(g, result.locale);
    const track = g.track ? `  ${paint(colors[TRACK_STATUS[g.track]], `${TRACK_MARK[g.track]} ${TRACK_TEXT[g.track]}`)}` : '';
    out.push(`  ${att}${' '.repeat(Math.max(0, 5 - textWidth(att)))} ${g.title ?? g.id}${g.horizon ? paint(dim, ` (${g.horizon})`) : ''}${track}${facts ? paint(dim, `  ${facts}`) : ''}`);
    const names = g.kpis.map((k) => `${k.id}${k.weight !== 1 ? ` ×${k.weight}` : ''}`);
    const width = Math.max(...names.map((n) => textWidth(n)));
    g.kpis.forEach((k, i) => {
      const kpi = kpis.get(k.id);
      const name = paint(colors[k.status], `${STATUS_MARK[k.status]} ${names[i]!.padEnd(width)}`);
      const score = percentText(k.score, result.locale).padStart(4);
      const pace = paceText(k, kpi, result.locale);
      const paced = pace && k.track ? paint(colors[TRACK_STATUS[k.track]], pace) : pace;
      out.push(`        ${name}  ${score}  ${gradeText(k, kpi, result.locale)}${pace ? paint(dim, ' · ') + paced : ''}`.trimEnd());
    });
  }
  return out;
}

/** `2026-07-01 → 2026-12-31 · 17% met`: the goal's dates and its share of key results met (in the locale, when given). */
function goalFacts(g: GoalResult, locale: string | undefined): string {
  const day = (d: string) => formatDay(d, locale);
  const dates = g.start && g.due ? `${day(g.start)} → ${day(g.due)}` : g.due ? `due ${day(g.due)}` : g.start ? `from ${day(g.start)}` : '';
  return [dates, g.met === null ? '' : `${percentText(g.met, locale)} met`].filter(Boolean).join(' · ');
}

/** The goals table of the Markdown scorecard, then their key results. */
export function goalsMarkdown(result: EvalResult, esc: (s: string) => string): string[] {
  const out = ['| Goal | Horizon | Due | Attainment | Met | Track |', '|---|---|---|---:|---:|---|'];
  for (const g of result.goals) {
    const track = g.track ? `${TRACK_MARK[g.track]} ${TRACK_TEXT[g.track]}` : '';
    out.push(`| ${esc(g.title ?? g.id)} | ${g.horizon ?? ''} | ${g.due ? formatDay(g.due, result.locale) : ''} | ${percentText(g.attainment, result.locale)} | ${percentText(g.met, result.locale)} | ${track} |`);
  }
  const kpis = new Map(result.kpis.map((k) => [k.id, k]));
  out.push('', '| Goal | Key result | Status | Score | Progress | Pace |', '|---|---|---|---:|---|---|');
  for (const g of result.goals) {
    for (const k of g.kpis) {
      const kpi = kpis.get(k.id);
      const weight = k.weight !== 1 ? ` ×${k.weight}` : '';
      out.push(`| \`${g.id}\` | \`${k.id}\`${weight} | ${STATUS_MARK[k.status]} ${STATUS_TEXT[k.status]} | ${percentText(k.score, result.locale)} | ${esc(gradeText(k, kpi, result.locale))} | ${esc(paceText(k, kpi, result.locale))} |`);
    }
  }
  return out;
}

import type { EvalResult, SourceResult } from '../../../server/src/engine/results';
import type { Ui } from './actions';
import { formatCount, relationCounts, skippedCounts } from '../../../server/src/engine/format';
import { controlsBar } from './controls';
import { el } from './dom';

/** The spec's name, what it was computed over, its data sources and the controls. */
export function header(result: EvalResult, fileName: string, ui: Ui): HTMLElement {
  const first = result.periods[0]?.key;
  const last = result.periods[result.periods.length - 1]?.key;
  const range = first ? (first === last ? first : `${first} … ${last}`) : 'no data';
  return el(
    'header',
    { class: 'head' },
    el('h1', { title: result.spec.file }, result.spec.name || fileName),
    el('p', { class: 'meta' }, `${result.grain} · ${range} · ${result.timezone}`),
    result.sources.length ? el('ul', { class: 'sources', attrs: { 'aria-label': 'Data sources' } }, ...result.sources.map((s) => sourceItem(s, result.locale))) : null,
    controlsBar(result, ui),
  );
}

function sourceItem(s: SourceResult, locale: string | undefined): HTMLLIElement {
  const span = s.from ? (s.from === s.to ? s.from : `${s.from} … ${s.to}`) : 'no dated rows';
  const count = s.problems.length;
  return el(
    'li',
    { class: 'source', attrs: { 'data-source': s.id } },
    el('code', { class: 'id' }, s.id),
    el('span', { class: 'file' }, s.file),
    el('span', {}, `${formatCount(s.rows, locale)} rows${relationCounts(s, locale)}${skippedCounts(s, locale)}`),
    el('span', {}, span),
    count
      ? el(
          'span',
          // The messages as a tooltip here; the problems section lists them with their lines.
          { class: 'problem-count', title: s.problems.map((p) => p.message).join('\n') },
          el('span', { attrs: { 'aria-hidden': 'true' } }, '▲ '),
          `${count} data problem${count > 1 ? 's' : ''}`,
        )
      : null,
  );
}

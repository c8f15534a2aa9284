import type { EvalProblem } from '../../../server/src/engine/results';
import type { Actions, Place } from './actions';
import { el, linkButton } from './dom';

/** Problems as a list: severity in words, the message as text, and a link that reveals where it is. */
export function problemList(problems: EvalProblem[], actions: Actions, specFile: string): HTMLUListElement {
  return el('ul', { class: 'problems' }, ...problems.map((p) => problemItem(p, actions, specFile)));
}

function problemItem(p: EvalProblem, actions: Actions, specFile: string): HTMLLIElement {
  const where = `${shortPath(p.file, specFile)}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}`;
  return el(
    'li',
    { class: `problem ${p.severity}` },
    el('span', { class: 'severity' }, el('span', { class: 'mark', attrs: { 'aria-hidden': 'true' } }, p.severity === 'error' ? '✖' : '▲'), p.severity),
    el('span', { class: 'message' }, p.message),
    linkButton(where, () => actions.reveal(placeOf(p)), { class: 'where', title: `Show ${where} in the editor` }),
  );
}

/** A problem's location, with only the fields it has (the host treats missing ones as unknown). */
export function placeOf(p: { file: string; line?: number; column?: number; offset?: number }): Place {
  const place: Place = { file: p.file };
  if (p.line !== undefined) place.line = p.line;
  if (p.column !== undefined) place.column = p.column;
  if (p.offset !== undefined) place.offset = p.offset;
  return place;
}

/** A path as short as it can be read: relative to the spec's folder when it lies inside it. */
export function shortPath(file: string, specFile: string): string {
  const cut = Math.max(specFile.lastIndexOf('/'), specFile.lastIndexOf('\\'));
  const folder = cut >= 0 ? specFile.slice(0, cut + 1) : '';
  return folder && file.startsWith(folder) ? file.slice(folder.length) : file;
}

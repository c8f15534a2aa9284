import { el, svg } from './dom';

/** What the compact charts' marks mean, drawn with the same classes as the charts themselves. */
export function chartKey(options: { partial: boolean; lastYear: boolean }): HTMLElement {
  const swatch = (...marks: SVGElement[]) => {
    const root = svg('svg', { width: 22, height: 10, viewBox: '0 0 22 10', 'aria-hidden': 'true' });
    root.append(...marks);
    return root;
  };
  const item = (key: string, mark: SVGSVGElement, words: string) => el('span', { class: 'item', attrs: { 'data-key-item': key } }, mark, words);
  return el(
    'div',
    { class: 'chart-key', attrs: { role: 'note', 'aria-label': 'How to read the trend charts' } },
    item('value', swatch(svg('path', { class: 'mc-line', d: 'M1 8L8 4L14 6L21 2' })), 'value'),
    item('target', swatch(svg('path', { class: 'mc-target', d: 'M0 5H22' })), 'target'),
    item('warn', swatch(svg('rect', { class: 'mc-band', x: 0, y: 1, width: 22, height: 8 })), 'at-risk band'),
    options.lastYear ? item('last-year', swatch(svg('path', { class: 'mc-yoy', d: 'M0 5H22' })), 'a year before') : null,
    options.partial
      ? item('partial', swatch(svg('path', { class: 'mc-partial', d: 'M1 7L15 4' }), svg('circle', { class: 'mc-dot s-no_target partial', cx: 17, cy: 4, r: 2.6 })), 'partial period so far')
      : null,
    options.partial ? item('pace', swatch(svg('path', { class: 'mc-pace', d: 'M6 5H16' })), 'target to date') : null,
  );
}

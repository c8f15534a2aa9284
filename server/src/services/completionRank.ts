import type { Completion } from './types';

/** How well a label fits what is typed: lower is better; NO_FIT when the typed letters are not all in it, in order. */
export const NO_FIT = 5;

/**
 * 0 the label starts with the typed text as typed, 1 the same ignoring case, 2 a word of the label
 * starts with it (`rev` in `paid_revenue`, `Rev` in `paidRevenue`), 3 it is inside the label, 4 its
 * letters are in the label in order (`pr` in `paid_revenue`). Nothing typed fits everything alike.
 */
export function fit(label: string, typed: string): number {
  if (!typed) return 0;
  if (label.startsWith(typed)) return 0;
  const l = label.toLowerCase();
  const t = typed.toLowerCase();
  if (l.startsWith(t)) return 1;
  for (let at = l.indexOf(t, 1); at > 0; at = l.indexOf(t, at + 1)) {
    const before = label[at - 1]!;
    if (!/[a-z0-9]/i.test(before) || (/[a-z]/.test(before) && /[A-Z]/.test(label[at]!))) return 2;
  }
  if (l.includes(t)) return 3;
  let i = 0;
  for (const ch of l) if (ch === t[i]) i++;
  return i === t.length ? 4 : NO_FIT;
}

/**
 * The items in the order an editor should offer them: the kind expected here first (`sortRank`),
 * then by fit to what is typed, then as the completion listed them. Each comes with its fit.
 */
export function rankByFit(items: Completion[], typed: string): { item: Completion; fit: number }[] {
  return items
    .map((item, i) => ({ item, fit: fit(item.label, typed), i }))
    .sort((a, b) => (a.item.sortRank ?? 5) - (b.item.sortRank ?? 5) || a.fit - b.fit || a.i - b.i)
    .map(({ item, fit }) => ({ item, fit }));
}

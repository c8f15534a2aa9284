/** Markdown building for hovers and completion documentation: spec text always renders as text. */

/** Spec text (titles, descriptions, file names) as Markdown text, never as markup; one line. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, '\\$&').replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Inline code whose content may hold backticks: a longer backtick fence, padded when needed. */
export function code(s: string): string {
  const t = s.replace(/\s*[\r\n]+\s*/g, ' ');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A fenced code block that its content cannot close. */
export function fenced(s: string, lang = 'text'): string {
  const longest = Math.max(0, ...(s.match(/`{3,}/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${s.replace(/\r\n?/g, '\n').replace(/\n+$/, '')}\n${fence}`;
}

/** The scalars of the fast YAML reader (fast.ts): plain, quoted and folded, and its signal to give up. */
import { resolvePlain } from './resolve';
import { scalarNode, type ScalarValue, type YScalar } from './tree';

/** Control flow only: thrown where the fast reader stops (fast.ts), caught in fastLoad. */
export class Unsupported {}
const GIVE_UP = new Unsupported();
export function giveUp(): never {
  throw GIVE_UP;
}

/** Folds `>` lines: single breaks between lines become spaces, runs of empty lines stay breaks. */
export function fold(lines: string[]): string {
  let out = '';
  let empties = 0;
  let started = false;
  for (const line of lines) {
    if (line === '') {
      empties++;
      continue;
    }
    if (started) out += empties ? '\n'.repeat(empties) : ' ';
    else out += '\n'.repeat(empties);
    out += line;
    empties = 0;
    started = true;
  }
  return out;
}

/** An array without the room that pushing leaves at its end: a large spec has 100,000 of them. */
export function fit<T>(items: T[]): T[] {
  return items.slice();
}

export function emptyScalar(offset: number): YScalar {
  return scalarNode(offset, 0, null, false);
}

export function plain(raw: string, offset: number): YScalar {
  const value: ScalarValue = resolvePlain(raw);
  return scalarNode(offset, raw.length, typeof value === 'string' ? intern(value) : value, false);
}

/**
 * Short plain texts, one string each: keys (`title`, `formula`) and values (`percent`, `up`)
 * repeat thousands of times in a large spec, and a copy each adds up to megabytes.
 */
const interned = new Map<string, string>();

function intern(s: string): string {
  if (s.length > 16) return s;
  const known = interned.get(s);
  if (known !== undefined) return known;
  if (interned.size >= 10_000) interned.clear();
  interned.set(s, s);
  return s;
}

/** The offset just past the closing quote of a quoted scalar on one line, or undefined. */
export function quotedEnd(text: string, o: number): number | undefined {
  const q = text[o];
  for (let i = o + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') return undefined;
    if (q === '"' && c === '\\') i++;
    else if (c === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return undefined;
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

/** A single- or double-quoted scalar on one line. */
export function quoted(text: string, o: number): YScalar {
  const end = quotedEnd(text, o);
  if (end === undefined) giveUp();
  const inner = text.slice(o + 1, end - 1);
  let value: string;
  if (text[o] === "'") value = inner.replace(/''/g, "'");
  else {
    value = '';
    for (let i = 0; i < inner.length; i++) {
      const c = inner[i]!;
      if (c !== '\\') {
        value += c;
        continue;
      }
      const e = inner[++i]!;
      const simple = ESCAPES[e];
      if (simple !== undefined) value += simple;
      else if (e === 'x' || e === 'u' || e === 'U') {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = inner.slice(i + 1, i + 1 + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) giveUp();
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) giveUp();
        value += String.fromCodePoint(code);
        i += n;
      } else giveUp();
    }
  }
  return scalarNode(o, end - o, value, true);
}

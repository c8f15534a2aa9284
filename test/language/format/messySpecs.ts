/**
 * Specs for the formatter's property tests: definitions taken from the shipped samples and
 * templates, combined at random and written in random layouts — keys shuffled, 2- to 4-space
 * indentation, sequences flush with their key or indented, flow collections with and without
 * spaces and spread over lines, scalars plain or quoted or folded, values on the line below their
 * key, trailing spaces, CRLF — with comments and blank lines between entries and after values.
 *
 * Every choice is a function of a seed and the path of the value it shapes, not of the order of
 * writing: a `content` seed decides what fmt keeps (quoting of values other than formulas, flow
 * or block style, folded lines, comments), a `layout` seed what fmt makes canonical (key order,
 * indentation, spacing). So two layouts of one content must format to the same text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { doubleQuote, isPlainSafe, singleQuote } from '../../helpers/yamlGen';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const REPO = path.resolve(__dirname, '../../..');
const FILES = [
  'samples/sources.kpi.yaml', 'samples/webshop.kpi.yaml',
  ...fs.readdirSync(path.join(REPO, 'templates')).map((t) => `templates/${t}/${t}.kpi.yaml`).filter((f) => fs.existsSync(path.join(REPO, f))),
];
const SECTIONS = ['sources', 'metrics', 'kpis', 'goals'] as const;
type Section = (typeof SECTIONS)[number];

/** Every definition of the samples and templates, by section (ids made unique across files). */
export const POOL: Record<Section, [string, Json][]> = { sources: [], metrics: [], kpis: [], goals: [] };
const HEADS: Obj[] = [];
for (const file of FILES) {
  const doc = parse(fs.readFileSync(path.join(REPO, file), 'utf8')) as Obj;
  HEADS.push(Object.fromEntries(Object.entries(doc).filter(([k]) => !(SECTIONS as readonly string[]).includes(k))));
  for (const s of SECTIONS) {
    for (const [id, def] of Object.entries((doc[s] as Obj | undefined) ?? {})) {
      const taken = new Set(POOL[s].map(([i]) => i));
      let unique = id;
      for (let n = 2; taken.has(unique); n++) unique = `${id}_${n}`;
      POOL[s].push([unique, def]);
    }
  }
}

export interface Options {
  comments: boolean;
  /** Blank lines between entries. */
  blanks: boolean;
  /** Spaces after `key:` that may align or not, and trailing spaces. */
  padding: boolean;
  crlf: boolean;
}

/** A spec model: a head from one file, definitions picked from all. */
export interface Picked {
  head: number;
  defs: Record<Section, number[]>;
}

export const picked: fc.Arbitrary<Picked> = fc.record({
  head: fc.nat(HEADS.length - 1),
  defs: fc.record({
    sources: fc.subarray([...POOL.sources.keys()], { maxLength: 4 }),
    metrics: fc.subarray([...POOL.metrics.keys()], { maxLength: 6 }),
    kpis: fc.subarray([...POOL.kpis.keys()], { maxLength: 6 }),
    goals: fc.subarray([...POOL.goals.keys()], { maxLength: 3 }),
  }),
});

export function modelOf(p: Picked): Obj {
  const model: Obj = { ...HEADS[p.head]! };
  for (const s of SECTIONS) {
    if (!p.defs[s].length) continue;
    model[s] = Object.fromEntries(p.defs[s].map((i) => POOL[s][i]!));
  }
  return model;
}

/** A whole number from a seed, a path and a salt (FNV-1a). */
function hash(seed: number, where: string, salt: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (const c of `${where}|${salt}`) {
    h ^= c.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 15;
  return h >>> 0;
}

const COMMENTS = [
  '# note', '# TODO: check the target with finance', '# kpispec-disable-next-line unused-metric', '#', '#no space after the hash',
  '# 中文注释：目标值', "# it's a: colon", '# - not a list', '# ---- group ----', '#   indented text', '# "quoted" # twice',
];

/** Maps whose keys fmt orders: every other map (of ids) keeps its order. */
function isKeywordMap(where: string): boolean {
  const parts = where.split('/').filter(Boolean);
  if (parts.length === 0) return true;
  if (parts[0] === 'defaults' && parts.length === 1) return true;
  if ((SECTIONS as readonly string[]).includes(parts[0]!) && parts.length === 2) return true;
  if (parts[0] === 'kpis' && (parts[2] === 'target' || parts[2] === 'warn') && parts.length <= 4) return true;
  if (parts[0] === 'goals' && parts[2] === 'kpis' && parts.length === 4) return true;
  if (parts[0] === 'sources' && parts[2] === 'lookups' && parts.length === 4) return true;
  return false;
}

/** Writes a model as YAML text. */
export function render(model: Obj, content: number, layout: number, options: Options): string {
  return new Render(content, layout, options).doc(model);
}

class Render {
  private readonly out: string[] = [];

  constructor(private readonly content: number, private readonly layout: number, private readonly o: Options) {}

  /** A content choice among n. */
  private c(where: string, salt: string, n: number): number {
    return hash(this.content, where, salt) % n;
  }

  /** A layout choice among n. */
  private l(where: string, salt: string, n: number): number {
    return hash(this.layout, where, salt) % n;
  }

  doc(model: Obj): string {
    if (this.o.comments && this.c('', 'head', 3) === 0) this.out.push(COMMENTS[this.c('', 'headText', COMMENTS.length)]!, '');
    this.map(model, '', 0);
    if (this.o.comments && this.c('', 'tail', 3) === 0) this.out.push(COMMENTS[this.c('', 'tailText', COMMENTS.length)]!);
    const text = this.out.join('\n') + '\n';
    return this.o.crlf ? text.replace(/\n/g, '\r\n') : text;
  }

  /** Blank lines and comments before an entry written at `col`. */
  private before(where: string, col: number): void {
    if (this.o.blanks) for (let i = this.c(where, 'blanks', 5) - 2; i > 0; i--) this.out.push('');
    if (this.o.comments && this.c(where, 'comment', 4) === 0) {
      const text = COMMENTS[this.c(where, 'commentText', COMMENTS.length)]!;
      // Never deeper than the entry: a deeper comment could fall into a block scalar above it.
      this.out.push(' '.repeat(this.c(where, 'commentCol', col + 1)) + text);
    }
  }

  /** An end-of-line comment, or nothing. */
  private eol(where: string): string {
    if (!this.o.comments || this.c(where, 'eol', 5) !== 0) return this.trailing(where);
    return ' '.repeat(1 + this.c(where, 'eolGap', 3)) + COMMENTS[this.c(where, 'eolText', COMMENTS.length)]!;
  }

  private trailing(where: string): string {
    return this.o.padding && this.l(where, 'trailing', 6) === 0 ? '  ' : '';
  }

  private step(where: string): number {
    return 2 + this.l(where, 'step', 3);
  }

  private keys(obj: Obj, where: string): string[] {
    const keys = Object.keys(obj);
    if (!isKeywordMap(where)) return keys;
    return keys.map((k) => ({ k, r: this.l(`${where}/${k}`, 'order', 1000) })).sort((a, b) => a.r - b.r).map((x) => x.k);
  }

  /** A block mapping's entries at `col`; `first` replaces the indentation of the first line (`- `). */
  private map(obj: Obj, where: string, col: number, first?: string): void {
    this.keys(obj, where).forEach((key, i) => {
      const at = `${where}/${key}`;
      if (i > 0 || first === undefined) this.before(at, col);
      const head = (i === 0 && first !== undefined ? first : ' '.repeat(col)) + key + ':';
      this.value(obj[key]!, at, col, head);
    });
  }

  /** A value after its head (`key:` or `-`), the head written at `col`. */
  private value(v: Json, where: string, col: number, head: string): void {
    const gap = this.o.padding && this.l(where, 'pad', 4) === 0 ? ' '.repeat(2 + this.l(where, 'padBy', 3)) : ' ';
    if (v === null || typeof v !== 'object') {
      const scalar = this.scalar(v, where, false);
      if (Array.isArray(scalar)) {
        // Folded: the header on the key line, the lines under it.
        this.out.push(head + ' ' + scalar[0]! + this.eol(where));
        const indent = ' '.repeat(col + this.step(where));
        for (const line of scalar.slice(1)) this.out.push(line ? indent + line : '');
        return;
      }
      // A scalar below its key (fmt moves it up).
      if (this.l(where, 'below', 8) === 0 && scalar !== '' && !head.trimStart().startsWith('-')) {
        this.out.push(head + this.trailing(where));
        this.out.push(' '.repeat(col + this.step(where)) + scalar + this.eol(where));
        return;
      }
      this.out.push(head + (scalar === '' ? '' : gap + scalar) + this.eol(where));
      return;
    }
    const empty = Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
    const flow = this.flowText(v, where);
    if (empty || (flow !== undefined && this.c(where, 'flow', 3) !== 0)) {
      this.flow(flow ?? (Array.isArray(v) ? '[]' : '{}'), where, col, head, gap);
      return;
    }
    const step = this.step(where);
    if (Array.isArray(v)) {
      // A sequence under a key: flush with it or indented.
      const seqCol = head.trimStart().startsWith('-') || this.l(where, 'flush', 3) !== 0 ? col + step : col;
      this.out.push(head + this.eol(where));
      v.forEach((item, i) => this.item(item, `${where}/${i}`, seqCol));
      return;
    }
    this.out.push(head + this.eol(where));
    this.map(v, where, col + step);
  }

  private item(item: Json, where: string, col: number): void {
    this.before(where, col);
    const dash = ' '.repeat(col) + '-';
    if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length && this.flowText(item, where) === undefined) {
      this.map(item, where, col + 2, dash + ' ');
      return;
    }
    if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length && this.c(where, 'compact', 2) === 0) {
      this.map(item, where, col + 2, dash + ' ');
      return;
    }
    this.value(item, where, col, dash);
  }

  /** A flow collection on the head's line, on one line or spread over several. */
  private flow(text: string | string[], where: string, col: number, head: string, gap: string): void {
    if (typeof text === 'string') {
      this.out.push(head + gap + text + this.eol(where));
      return;
    }
    // Spread: the opening bracket on the head's line, items below, the closing one after the last.
    const indent = ' '.repeat(col + this.step(where));
    this.out.push(head + gap + text[0]!);
    const items = text.slice(1, -1);
    items.forEach((item, i) => this.out.push(indent + item + (i < items.length - 1 ? ',' : '') + (i === items.length - 1 ? text[text.length - 1]! : '')));
    if (this.o.comments && this.c(where, 'eol', 5) === 0) this.out[this.out.length - 1] += ' ' + COMMENTS[this.c(where, 'eolText', COMMENTS.length)]!;
  }

  /**
   * A collection in flow style: one line of text, or its lines (opening bracket, items,
   * closing bracket) when spread; undefined when a value in it cannot be written in flow style.
   */
  private flowText(v: Json[] | Obj, where: string): string | string[] | undefined {
    const parts: string[] = [];
    const entries: [string | undefined, Json][] = Array.isArray(v) ? v.map((x) => [undefined, x]) : this.keys(v, where).map((k) => [k, v[k]!]);
    for (const [key, value] of entries) {
      const at = `${where}/${key ?? parts.length}`;
      let text: string | undefined;
      if (value !== null && typeof value === 'object') {
        const inner = this.flowText(value, at);
        if (inner === undefined || typeof inner !== 'string') return undefined;
        text = inner;
      } else {
        const s = this.scalar(value, at, true);
        if (Array.isArray(s)) return undefined;
        text = s;
      }
      parts.push(key === undefined ? text : `${key}: ${text}`);
    }
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
    const spaced = this.l(where, 'spaces', 3);
    if (parts.length && this.c(where, 'spread', 6) === 0) return [open, ...parts, close];
    const sep = spaced === 2 ? ' , ' : ', ';
    const pad = spaced === 1 ? ' ' : '';
    return parts.length ? `${open}${pad}${parts.join(sep)}${pad}${close}` : `${open}${close}`;
  }

  /** A scalar as text, or the lines of a folded block scalar (header first). */
  private scalar(v: Json, where: string, flow: boolean): string | string[] {
    if (v === null) return ['', '~', 'null'][this.c(where, 'null', 3)]!;
    if (typeof v !== 'string') return String(v);
    const plain = isPlainSafe(v, flow) && readsAsText(v, flow);
    const long = v.length > 50 && !flow && /^[^\s].*[^\s]$/.test(v) && !/ {2}|\n/.test(v);
    const formula = where.endsWith('/formula');
    switch (this.c(where, 'style', long ? 5 : 4)) {
      case 0:
        return singleQuote(v);
      case 1:
        return /["\\]/.test(v) && !formula ? singleQuote(v) : doubleQuote(v);
      case 4:
        return ['>-', ...fold(v, 30 + this.c(where, 'width', 40))];
      default:
        return plain ? v : singleQuote(v);
    }
  }
}

/** Whether a plain scalar reads back as this text. */
function readsAsText(s: string, flow: boolean): boolean {
  try {
    const read = parse(flow ? `[${s}]` : `k: ${s}`) as unknown;
    return flow ? (read as unknown[])[0] === s : (read as Obj).k === s;
  } catch {
    return false;
  }
}

/** Text folded into lines of about `width` at single spaces (a folded scalar joins them back). */
function fold(text: string, width: number): string[] {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  lines.push(line);
  return lines;
}

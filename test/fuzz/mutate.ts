import type { Rng } from './prng';

/** A mutated spec text and the operations that made it, for the failure report. */
export interface Mutation {
  text: string;
  ops: string[];
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;
const NUMBER = /\d+(?:\.\d+)?%?/g;
/** Ids defined as entries of a section (`  name:` under metrics, kpis, goals, sources). */
const DEFINED = /^ {2}([a-z][a-z0-9_]*):/gm;
const FORMULA = /formula: *(.*)$/gm;

/** Characters that mean something to YAML, formulas or line counting, and some that are wide or broken. */
const NASTY = [':', '{', '}', '[', ']', '-', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', ',', '?', '(', ')', '/', '+', '\t', '\r', '\n', '\r\n', '\0', '\u00a0', '\u2028', '\ufeff', '转化', '😀', '\ud83d', '\udc00', 'é', '\\', '$', '~'];
const REPLACEMENTS = ['x', 'sessions', 'revenue', 'kpi', 'unknown_id', '0', '-1', '1e308', 'NaN', '1/0', '%', '40%', '1_000', '转化率', 'Ünïcødé', '😀', '', 'null', 'true', '~', '[]', '{}', '&a', '*a', "''", '"', 'sum(', ')', 'a'.repeat(300)];
const INDENTS = ['', ' ', '   ', '    ', '\t', '        ', '  \t'];

type Op = (text: string, rng: Rng) => [string, string];

const lines = (text: string) => text.split('\n');
const at = (text: string, rng: Rng) => rng.int(text.length + 1);

const OPS: Record<string, Op> = {
  deleteLine(text, rng) {
    const ls = lines(text);
    const i = rng.int(ls.length);
    ls.splice(i, 1 + (rng.chance(0.2) ? rng.int(5) : 0));
    return [ls.join('\n'), `delete line ${i + 1}`];
  },
  duplicateLine(text, rng) {
    const ls = lines(text);
    const i = rng.int(ls.length);
    ls.splice(rng.int(ls.length + 1), 0, ls[i]!);
    return [ls.join('\n'), `duplicate line ${i + 1}`];
  },
  swapLines(text, rng) {
    const ls = lines(text);
    const i = rng.int(ls.length);
    const j = rng.int(ls.length);
    [ls[i], ls[j]] = [ls[j]!, ls[i]!];
    return [ls.join('\n'), `swap lines ${i + 1} and ${j + 1}`];
  },
  blankStart(text, rng) {
    const n = rng.between(1, 3);
    return [(rng.chance(0.3) ? '\r\n' : '\n').repeat(n) + text, `${n} blank lines at the start`];
  },
  randomChars(text, rng) {
    const i = at(text, rng);
    const s = Array.from({ length: rng.between(1, 4) }, () => rng.pick(NASTY)).join('');
    return [text.slice(0, i) + s + text.slice(i), `insert ${JSON.stringify(s)} at ${i}`];
  },
  truncate(text, rng) {
    const i = at(text, rng);
    return [text.slice(0, i), `truncate at ${i}`];
  },
  deleteRange(text, rng) {
    const i = at(text, rng);
    const n = rng.between(1, 40);
    return [text.slice(0, i) + text.slice(i + n), `delete ${n} characters at ${i}`];
  },
  copyRange(text, rng) {
    const i = at(text, rng);
    const piece = text.slice(i, i + rng.between(1, 200));
    const j = at(text, rng);
    return [text.slice(0, j) + piece + text.slice(j), `copy ${piece.length} characters from ${i} to ${j}`];
  },
  indent(text, rng) {
    const ls = lines(text);
    const i = rng.int(ls.length);
    const to = rng.pick(INDENTS);
    ls[i] = to + ls[i]!.trimStart();
    return [ls.join('\n'), `indent line ${i + 1} with ${JSON.stringify(to)}`];
  },
  replaceToken(text, rng) {
    const tokens = [...text.matchAll(rng.chance(0.7) ? IDENT : NUMBER)];
    if (!tokens.length) return [text, 'no token to replace'];
    const t = rng.pick(tokens);
    const ids = [...text.matchAll(DEFINED)].map((m) => m[1]!);
    const by = rng.chance(0.4) && ids.length ? rng.pick(ids) : rng.pick(REPLACEMENTS);
    return [text.slice(0, t.index) + by + text.slice(t.index! + t[0].length), `replace ${JSON.stringify(t[0])} at ${t.index} by ${JSON.stringify(by)}`];
  },
  /** Formulas that name each other: a cycle through 1 to 4 KPIs, or a formula of another KPI's id. */
  cycle(text, rng) {
    const formulas = [...text.matchAll(FORMULA)];
    const kpis = kpiIds(text);
    if (formulas.length < 1 || !kpis.length) return [text, 'no formulas to link'];
    const n = Math.min(rng.between(1, 4), formulas.length);
    let out = text;
    const picked = Array.from({ length: n }, () => rng.pick(formulas)).sort((a, b) => b.index! - a.index!);
    const names: string[] = [];
    for (const f of picked) {
      const name = rng.pick(kpis);
      names.push(name);
      const expr = rng.chance(0.5) ? name : `${name} + ${rng.pick(kpis)} * 2`;
      const start = f.index! + f[0].indexOf(f[1]!);
      out = out.slice(0, start) + expr + out.slice(start + f[1]!.length);
    }
    return [out, `formulas now name ${names.join(', ')}`];
  },
  crlf(text, rng) {
    if (rng.chance(0.5)) return [text.replace(/\n/g, '\r\n'), 'CRLF line ends'];
    if (rng.chance(0.5)) return [text.replace(/\n/g, '\r'), 'CR line ends'];
    return [text.replace(/\n/g, () => (rng.chance(0.5) ? '\r\n' : '\n')), 'mixed line ends'];
  },
  /** A formula nested or chained far beyond what is sensible. */
  deepFormula(text, rng) {
    const formulas = [...text.matchAll(FORMULA)];
    if (!formulas.length) return [text, 'no formula to deepen'];
    const f = rng.pick(formulas);
    const n = rng.pick([50, 200, 1000]);
    const expr = rng.chance(0.5) ? '('.repeat(n) + '1' + ')'.repeat(n) : Array.from({ length: n }, (_, i) => `x${i}`).join(' + ');
    const start = f.index! + f[0].indexOf(f[1]!);
    return [text.slice(0, start) + expr + text.slice(start + f[1]!.length), `formula at ${start}: depth/length ${n}`];
  },
};

export const OP_NAMES = Object.keys(OPS);

/** The KPI ids of a spec: entries after a `kpis:` line, before the next top-level key. */
export function kpiIds(text: string): string[] {
  const out: string[] = [];
  let inKpis = false;
  for (const line of text.split(/\r?\n|\r/)) {
    if (/^\S/.test(line)) inKpis = /^kpis:/.test(line);
    else if (inKpis) {
      const m = /^ {2}([a-z][a-z0-9_]*):/.exec(line);
      if (m) out.push(m[1]!);
    }
  }
  return out;
}

/** 1 to 4 random operations applied to a text. */
export function mutate(text: string, rng: Rng): Mutation {
  const ops: string[] = [];
  let out = text;
  for (let n = rng.between(1, 4); n > 0; n--) {
    const name = rng.pick(OP_NAMES);
    const [next, what] = OPS[name]!(out, rng);
    out = next;
    ops.push(`${name}: ${what}`);
  }
  return { text: out, ops };
}

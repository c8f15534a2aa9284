/**
 * fast-check generators of YAML documents written the way KPI specs are written, built as text.
 *
 * - `specYamlDoc`: only features the fast reader (server/src/language/yaml/fast.ts) is meant to
 *   take: block mappings and sequences (2- and 4-space indentation, mixed per level), sequences of
 *   scalars and of compact mappings, flow collections (nested, with and without spaces, spanning
 *   lines, closing bracket on its own line), plain/single-quoted/double-quoted scalars of every
 *   core-schema kind, block scalars `|` `>` with chomping, comments, blank lines, a leading `---`,
 *   CRLF, a missing final newline and duplicate keys.
 * - `edgeYamlDoc`: the same plus valid YAML whose support is the reader's choice (trailing spaces,
 *   more-indented block scalar lines, comments inside flow collections, trailing commas, rare
 *   escapes, non-map roots, …). Either deferring or an equal result is right.
 * - `nearMissYamlDoc`: a spec document with one feature the reader is expected to hand to the
 *   package (anchors, aliases, tags, multi-line plain scalars, tabs, `? ` keys, bad indentation,
 *   unclosed brackets, a second document, directives, …). Most are errors or features the reader
 *   leaves alone; a few are valid YAML it may read (`value# text`, `key:\n- item`), and then its
 *   result must equal the package's, like everywhere else.
 *
 * The spec generator is checked to produce no syntax errors in the package (see the test), so a
 * deferral on it is a gap in the reader, not a bad document. Own-line comments go at most one
 * column deeper than the entry they precede, since deeper ones could fall into a block scalar.
 *
 * Documents are generated as a small model (so that they shrink well) and rendered to text.
 */
import fc from 'fast-check';

/** Generation options: `edge` adds the valid-but-optional features. */
export interface GenOptions {
  edge: boolean;
}

const SPEC: GenOptions = { edge: false };
const EDGE: GenOptions = { edge: true };

// ---------------------------------------------------------------------------------------------
// Scalar text

/** Plain scalars that are safe in block and flow context. */
const NULLS = ['~', 'null', 'Null', 'NULL'];
const NULL_LOOKALIKES = ['nULL', 'none', 'Nil'];
const BOOLS = ['true', 'True', 'TRUE', 'false', 'False', 'FALSE'];
const BOOL_LOOKALIKES = ['tRUE', 'yes', 'No', 'on', 'OFF', 'y', 'n'];
const INTS = ['0', '12', '-3', '+4', '-0', '+0', '007', '0o17', '0o0', '0x1F', '0xff', '0xDEAD', '12345678901234567890', '9007199254740993'];
const INT_LOOKALIKES = ['00123', '0X1F', '0o8', '0xG', '0b101', '1_000', '0x', '0o', '+-1', '1-2'];
const FLOATS = ['1.5', '.5', '-.5', '+.5', '1.', '0.50', '3.14159', '1e3', '1E3', '-2.5E-3', '+1.5e+2', '6.02e23', '1e400', '-1e-400', '.inf', '.Inf', '.INF', '-.Inf', '+.inf', '-.INF', '.nan', '.NaN', '.NAN'];
const FLOAT_LOOKALIKES = ['.NAn', '.iNf', '1.2.3', '1e', 'e3', '1.5.', '..5', '1e3.5', '0.1.2', '1e+', 'inf', 'nan', 'Infinity', 'NaN'];
const DATES = ['2026-01', '2026-01-01', '2026-01-01T00:00:00Z', '2025-W03', '2026-Q1', '40%', '-5%', '+3.5%', '¥100', '$1.5', '1/2', 'v1.2.3', '1.0.0-beta'];
const WORDS = [
  'revenue', 'ad_spend', 'sessions', 'month', 'CNY', 'Asia/Shanghai', 'sum', 'count_distinct', 'paid_search', 'kpi-1', 'x', 'y2',
  '(revenue - ad_spend) / ad_spend', 'orders / sessions * 100', 'sum(amount) / count(orders)', 'a - b', 'a -b', 'x >= 5 && y < 3',
  'a#b', 'C#', "it's", "don't stop", 'rock\'n\'roll', '跳出率', '会话数 / 访客数', '网店营销记分卡 Web shop scorecard', '🚀 launch', '👍🏽', '🇨🇳',
  'café', 'naïve', 'Zoë', 'ratio (%)', 'a ? b', 'a! b', 'a & b', 'a * b', 'a | b', 'a > b', 'x=1', '~tilde', 'a~', 'x@y', 'x`y', 'per-cent%',
  'a - b - c', 'q: no', // the last one is rejected by isPlainSafe below and falls back to quoting
];
const BLOCK_ONLY = ['Revenue [CNY], net', 'a, b, c', 'x{y}', 'a]b', '50% of {goal}', '1,000', '12:30', 'key:value', 'https://example.com/x?y=1&z=2#frag', 'tuple (1, 2)', 'f(x)[0]'];
const EDGE_PLAIN = ['-x', '-1x', '?x', ':x', '.', '..', '-.', 'a:b'];

const KEY_NAMES = [
  'kpispec', 'name', 'description', 'metrics', 'kpis', 'goals', 'formula', 'title', 'unit', 'target', 'targets', 'source', 'agg', 'where',
  'a', 'b', 'c', 'x1', 'kpi-1', 'a.b', 'a_b', 'my key', 'cost per click', 'Revenue (net)', '跳出率', '会话数', 'emoji 🚀', 'café',
  '2026', '2026-01', '1.0', '1', '16', '0x10', 'true', 'True', 'null', '~', 'it\'s', 'a#b',
  // these need quotes
  'a: b', 'x #y', '', ' padded ', '[x]', '{y}', '- z', '#hash', '@at', '`tick', 'key with "quotes"', 'back\\slash', 'tab\there', 'line\nbreak', "'q'", '"dq"', '%pct', '!bang', '&amp', '*star', '|pipe', '>gt', '?', '-', ':',
];

/** Can `s` be written as a plain scalar (on one line) in this context? Conservative. */
export function isPlainSafe(s: string, flow: boolean): boolean {
  if (s === '' || s !== s.trim() || /[\n\r\t\uFEFF]/.test(s)) return false;
  if ('-?:,[]{}#&*!|>\'"%@`'.includes(s[0]!)) return false;
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':')) return false;
  if (flow && /[,[\]{}]/.test(s)) return false;
  if (flow && s.includes(':')) return false;
  if (s.startsWith('---') || s.startsWith('...')) return false;
  return true;
}

export function singleQuote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function doubleQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else out += c;
  }
  return out + '"';
}

type KeyStyle = 'plain' | 'single' | 'double';

function keyToken(name: string, style: KeyStyle, flow: boolean): string {
  if (style === 'plain' && isPlainSafe(name, flow)) return name;
  if (style === 'single' && !/[\n\r\t]/.test(name)) return singleQuote(name);
  return doubleQuote(name);
}

const TEXT_CHARS = [
  ...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789', ' ', ' ', ' ', ':', '#', ',', '[', ']', '{', '}', '-', '?', '!', '&', '*', '|', '>', '%', '@', '`', '.', '/', '(', ')',
  '跳', '出', '率', '会', '话', 'é', 'ß', 'Ω', '😀', '🚀', '👍🏽', '\u00a0',
];
const textChar = fc.constantFrom(...TEXT_CHARS);

const singleQuotedToken = fc
  .array(fc.oneof({ arbitrary: textChar, weight: 8 }, fc.constantFrom("''", '"', '\\', ': ', ' # ', "it''s")), { maxLength: 24 })
  .map((parts) => `'${parts.join('')}'`);

const DQ_ESCAPES = ['\\"', '\\\\', '\\n', '\\t', '\\u00e9', '\\u8DF3', '\\u00E9'];
const DQ_EDGE_ESCAPES = ['\\/', '\\x41', '\\U0001F680', '\\0', '\\a', '\\b', '\\e', '\\f', '\\r', '\\v', '\\ ', '\\N', '\\_', '\\L', '\\P', '\\uD83D\\uDE00', '\t'];

const doubleQuotedToken = (o: GenOptions) =>
  fc
    .array(fc.oneof({ arbitrary: textChar, weight: 8 }, fc.constantFrom("'", ': ', ' # ', ...DQ_ESCAPES, ...(o.edge ? DQ_EDGE_ESCAPES : []))), {
      maxLength: 24,
    })
    .map((parts) => `"${parts.join('')}"`);

const plainSentence = (flow: boolean, o: GenOptions) =>
  fc
    .array(fc.constantFrom(...WORDS, ...INTS, ...FLOATS, ...DATES, ...(flow ? [] : BLOCK_ONLY), ...(o.edge && !flow ? EDGE_PLAIN : [])), {
      minLength: 1,
      maxLength: 4,
    })
    .map((words) => words.join(' '));

/** A scalar token for a value position (block or flow context). Never empty, never multi-line. */
const scalarToken = (flow: boolean, o: GenOptions): fc.Arbitrary<string> => {
  const plain = (arb: fc.Arbitrary<string>) => arb.map((s) => (isPlainSafe(s, flow) || (o.edge && !flow && EDGE_PLAIN.includes(s)) ? s : singleQuote(s)));
  return fc.oneof(
    { arbitrary: fc.constantFrom(...NULLS, ...NULL_LOOKALIKES, ...BOOLS, ...BOOL_LOOKALIKES), weight: 2 },
    { arbitrary: fc.constantFrom(...INTS, ...INT_LOOKALIKES, ...FLOATS, ...FLOAT_LOOKALIKES), weight: 3 },
    { arbitrary: fc.integer().map(String), weight: 1 },
    { arbitrary: fc.double().map(String).map((s) => (s === 'NaN' ? '.nan' : s === 'Infinity' ? '.inf' : s === '-Infinity' ? '-.inf' : s)), weight: 1 },
    { arbitrary: fc.constantFrom(...DATES), weight: 1 },
    { arbitrary: plain(plainSentence(flow, o)), weight: 5 },
    { arbitrary: plain(fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/)), weight: 2 },
    { arbitrary: singleQuotedToken, weight: 2 },
    { arbitrary: doubleQuotedToken(o), weight: 2 },
    { arbitrary: fc.constantFrom("''", '""', "'it''s'", '"a: b"', "'x # not a comment'", '"1"', "'true'", '"null"', "'跳出率'", '"\\u00e9t\\u00e9"'), weight: 1 },
  );
};

interface KeyModel {
  name: string;
  style: KeyStyle;
}

const keyModel: fc.Arbitrary<KeyModel> = fc.record({
  name: fc.oneof(
    { arbitrary: fc.constantFrom(...KEY_NAMES), weight: 2 },
    { arbitrary: fc.stringMatching(/^[a-z][a-z0-9_]{2,14}$/), weight: 5 },
    { arbitrary: fc.string({ unit: textChar, minLength: 1, maxLength: 10 }), weight: 1 },
  ),
  style: fc.constantFrom<KeyStyle>('plain', 'plain', 'plain', 'plain', 'single', 'double'),
});

const commentText = fc.string({ unit: fc.constantFrom(...TEXT_CHARS, "'", '"', '\\', '#', '---'), maxLength: 20 }).map((s) => (s.startsWith(' ') ? s : ' ' + s));

// ---------------------------------------------------------------------------------------------
// Document model

/** A line between entries: blank, or an own-line comment (its indentation is clamped at render). */
type Trivia = { t: 'blank'; spaces: number } | { t: 'comment'; indent: number; text: string };

interface BlockLine {
  /** null: a blank line inside the block scalar. */
  text: string | null;
  /** Extra indentation (edge only): a more-indented line. */
  extra: number;
}

interface FlowLayout {
  pad: boolean;
  tight: boolean;
  /** Line breaks after commas, cycled; empty = single line. */
  breaks: boolean[];
  openBreak: boolean;
  /** Closing bracket of the outermost collection on its own line: at the entry's indentation or the continuation's. */
  closeBreak: 'none' | 'entry' | 'cont';
  /** Edge: a trailing comma, comments at line breaks, blank lines at line breaks. */
  trailingComma: boolean;
  breakComments: boolean;
  breakBlank: boolean;
}

type FlowNode = { t: 'fs'; text: string } | { t: 'fseq'; items: FlowNode[] } | { t: 'fmap'; entries: { key: string; value: FlowNode | null }[] };

type BlockValue =
  | { t: 'scalar'; text: string }
  | { t: 'empty' }
  | { t: 'flow'; node: FlowNode; layout: FlowLayout }
  | { t: 'block'; style: '|' | '>'; chomp: '' | '-' | '+'; step: number; indicator: boolean; lines: BlockLine[]; leadingBlank: number; trailingBlank: number }
  | { t: 'map'; step: number; entries: MapEntry[] }
  | { t: 'seq'; step: number; items: SeqItem[] };

interface MapEntry {
  before: Trivia[];
  key: KeyModel;
  /** Spaces after the colon for values on the same line (>= 1). */
  gap: number;
  /** Edge: a space before the colon. */
  spaceBeforeColon: boolean;
  value: BlockValue;
  comment: string | null;
  /** Edge: trailing spaces at the end of the entry's first line. */
  trailingSpaces: number;
}

interface SeqItem {
  before: Trivia[];
  value: BlockValue;
  comment: string | null;
  /** Spaces after the dash (>= 1; > 1 only in edge documents). */
  gap: number;
}

export interface DocModel {
  head: Trivia[];
  docStart: null | '---' | '--- # start';
  root: { t: 'map'; entries: MapEntry[] } | { t: 'other'; value: BlockValue } | { t: 'none' };
  tail: Trivia[];
  finalNewline: boolean;
  crlf: 'none' | 'all' | 'mixed';
  /** Edge: a `...` document end marker. */
  docEnd: boolean;
  /** Edge: a byte order mark. */
  bom: boolean;
}

const trivia = (o: GenOptions): fc.Arbitrary<Trivia[]> =>
  fc.oneof(
    { arbitrary: fc.constant<Trivia[]>([]), weight: 6 },
    {
      arbitrary: fc.array(
        fc.oneof(
          fc.record({ t: fc.constant('blank' as const), spaces: o.edge ? fc.constantFrom(0, 0, 1, 3) : fc.constant(0) }),
          fc.record({ t: fc.constant('comment' as const), indent: fc.nat(8), text: commentText }),
        ),
        { minLength: 1, maxLength: 3 },
      ),
      weight: 2,
    },
  );

const eolComment = fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: commentText, weight: 1 });

const steps = (o: GenOptions) => (o.edge ? fc.constantFrom(2, 4, 2, 4, 1, 3) : fc.constantFrom(2, 4));

const flowLayout = (o: GenOptions): fc.Arbitrary<FlowLayout> =>
  fc.record({
    pad: fc.boolean(),
    tight: fc.boolean(),
    breaks: fc.oneof({ arbitrary: fc.constant<boolean[]>([]), weight: 3 }, { arbitrary: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }), weight: 1 }),
    openBreak: fc.boolean(),
    closeBreak: fc.constantFrom('none' as const, 'none' as const, 'entry' as const, 'cont' as const),
    trailingComma: o.edge ? fc.boolean() : fc.constant(false),
    breakComments: o.edge ? fc.boolean() : fc.constant(false),
    breakBlank: o.edge ? fc.boolean() : fc.constant(false),
  });

const memo = new Map<string, fc.Arbitrary<unknown>>();
function memoized<T>(key: string, build: () => fc.Arbitrary<T>): fc.Arbitrary<T> {
  let arb = memo.get(key);
  if (!arb) memo.set(key, (arb = build()));
  return arb as fc.Arbitrary<T>;
}

function flowNode(depth: number, o: GenOptions): fc.Arbitrary<FlowNode> {
  return memoized(`flow${depth}${o.edge}`, () => {
    const scalar = scalarToken(true, o).map((text): FlowNode => ({ t: 'fs', text }));
    if (depth === 0) return scalar;
    const child = flowNode(depth - 1, o);
    const fkey = keyModel.map((k) => keyToken(k.name, k.style, true));
    const value = o.edge ? fc.option(child, { freq: 8, nil: null }) : child;
    return fc.oneof(
      { arbitrary: scalar, weight: 3 },
      { arbitrary: fc.array(child, { maxLength: 4 }).map((items): FlowNode => ({ t: 'fseq', items })), weight: 2 },
      { arbitrary: fc.array(fc.record({ key: fkey, value }), { maxLength: 4 }).map((entries): FlowNode => ({ t: 'fmap', entries })), weight: 2 },
    );
  });
}

const flowCollection = (o: GenOptions) =>
  flowNode(3, o).filter((n) => n.t !== 'fs') as fc.Arbitrary<Exclude<FlowNode, { t: 'fs' }>>;

const blockLineText = (o: GenOptions) =>
  fc
    .string({ unit: fc.constantFrom(...TEXT_CHARS, "'", '"', '\\', '#', '- ', ': '), minLength: 1, maxLength: 30 })
    .map((s) => {
      const t = o.edge ? s.replace(/^ +/, '') : s.trim();
      return t === '' ? 'x' : t;
    });

const blockScalar = (o: GenOptions): fc.Arbitrary<BlockValue> =>
  fc.record({
    t: fc.constant('block' as const),
    style: fc.constantFrom('|' as const, '>' as const),
    chomp: fc.constantFrom('' as const, '-' as const, '+' as const),
    step: steps(o),
    indicator: o.edge ? fc.boolean() : fc.constant(false),
    lines: fc
      .tuple(
        blockLineText(o),
        fc.array(
          fc.oneof(
            { arbitrary: blockLineText(o).map((text) => ({ text, extra: 0 })), weight: 4 },
            { arbitrary: fc.constant({ text: null, extra: 0 }), weight: 1 },
            ...(o.edge ? [{ arbitrary: fc.tuple(blockLineText(o), fc.integer({ min: 1, max: 3 })).map(([text, extra]) => ({ text, extra })), weight: 1 }] : []),
          ),
          { maxLength: 6 },
        ),
      )
      .map(([first, rest]) => [{ text: first, extra: 0 }, ...rest]),
    leadingBlank: o.edge ? fc.constantFrom(0, 0, 1, 2) : fc.constant(0),
    trailingBlank: fc.constantFrom(0, 0, 1, 2, 3),
  });

function blockValue(depth: number, o: GenOptions, inSeq: boolean): fc.Arbitrary<BlockValue> {
  return memoized(`bv${depth}${o.edge}${inSeq}`, () => {
    const options: fc.WeightedArbitrary<BlockValue>[] = [
      { arbitrary: scalarToken(false, o).map((text): BlockValue => ({ t: 'scalar', text })), weight: 8 },
      { arbitrary: fc.record({ t: fc.constant('flow' as const), node: flowCollection(o), layout: flowLayout(o) }), weight: 2 },
      { arbitrary: blockScalar(o), weight: 1 },
    ];
    if (!inSeq || o.edge) options.push({ arbitrary: fc.constant<BlockValue>({ t: 'empty' }), weight: 1 });
    if (depth > 0) {
      options.push({ arbitrary: blockMap(depth - 1, o), weight: inSeq ? 5 : 4 });
      if (!inSeq || o.edge) options.push({ arbitrary: blockSeq(depth - 1, o), weight: 2 });
    }
    return fc.oneof(...options);
  });
}

function mapEntry(depth: number, o: GenOptions): fc.Arbitrary<MapEntry> {
  return fc.record({
    before: trivia(o),
    key: keyModel,
    gap: fc.oneof({ arbitrary: fc.constant(1), weight: 5 }, { arbitrary: fc.integer({ min: 2, max: 12 }), weight: 1 }),
    spaceBeforeColon: o.edge ? fc.boolean() : fc.constant(false),
    value: blockValue(depth, o, false),
    comment: eolComment,
    trailingSpaces: o.edge ? fc.constantFrom(0, 0, 0, 1, 3) : fc.constant(0),
  });
}

/** Entries, sometimes with one key repeated (written the same way or differently). */
function mapEntries(depth: number, o: GenOptions, max: number): fc.Arbitrary<MapEntry[]> {
  return fc
    .tuple(fc.array(mapEntry(depth, o), { minLength: 1, maxLength: max }), fc.oneof({ arbitrary: fc.constant(null), weight: 12 }, { arbitrary: fc.tuple(fc.nat(), fc.nat()), weight: 1 }))
    .map(([entries, dup]) => {
      if (!dup || entries.length < 2) return entries;
      const j = 1 + (dup[1] % (entries.length - 1));
      const i = dup[0] % j;
      const copy = entries.slice();
      copy[j] = { ...copy[j]!, key: { ...copy[j]!.key, name: copy[i]!.key.name } };
      return copy;
    });
}

function blockMap(depth: number, o: GenOptions): fc.Arbitrary<BlockValue> {
  return memoized(`bm${depth}${o.edge}`, () => fc.record({ t: fc.constant('map' as const), step: steps(o), entries: mapEntries(depth, o, 4) }));
}

function blockSeq(depth: number, o: GenOptions): fc.Arbitrary<BlockValue> {
  return memoized(`bs${depth}${o.edge}`, () =>
    fc.record({
      t: fc.constant('seq' as const),
      step: o.edge ? fc.constantFrom(0, 2, 4, 2, 4, 3) : steps(o),
      items: fc.array(
        fc.record({
          before: trivia(o),
          value: blockValue(depth, o, true),
          comment: eolComment,
          gap: o.edge ? fc.constantFrom(1, 1, 1, 3) : fc.constant(1),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    }),
  );
}

export const docModel = (o: GenOptions): fc.Arbitrary<DocModel> =>
  fc.record({
    head: trivia(o),
    docStart: fc.constantFrom(null, null, '---' as const, '--- # start' as const),
    root: o.edge
      ? fc.oneof(
          { arbitrary: mapEntries(3, o, 6).map((entries) => ({ t: 'map' as const, entries })), weight: 8 },
          { arbitrary: blockValue(2, o, false).map((value) => ({ t: 'other' as const, value })), weight: 2 },
          { arbitrary: fc.constant({ t: 'none' as const }), weight: 1 },
        )
      : mapEntries(3, o, 6).map((entries) => ({ t: 'map' as const, entries })),
    tail: trivia(o),
    finalNewline: fc.boolean(),
    crlf: o.edge ? fc.constantFrom('none' as const, 'all' as const, 'mixed' as const) : fc.constantFrom('none' as const, 'none' as const, 'none' as const, 'all' as const),
    docEnd: o.edge ? fc.boolean() : fc.constant(false),
    bom: o.edge ? fc.constantFrom(false, false, false, true) : fc.constant(false),
  });

// ---------------------------------------------------------------------------------------------
// Rendering

const sp = (n: number) => ' '.repeat(Math.max(0, n));

function renderTrivia(list: Trivia[], indent: number, out: string[]): void {
  for (const t of list) {
    if (t.t === 'blank') out.push(sp(t.spaces));
    // Own-line comments at most one column deeper than the entry they precede: deeper ones
    // could land inside a block scalar that ends just above.
    else out.push(sp(t.indent % (indent + 2)) + '#' + t.text);
  }
}

function renderFlow(node: FlowNode, layout: FlowLayout, entryIndent: number, cont: number): string {
  let breakIndex = 0;
  const nextSep = (): string => {
    const comma = layout.tight ? ',' : ', ';
    if (layout.breaks.length === 0) return comma;
    const b = layout.breaks[breakIndex++ % layout.breaks.length]!;
    if (!b) return comma;
    const comment = layout.breakComments && breakIndex % 2 === 0 ? ' # in flow' : '';
    const blank = layout.breakBlank && breakIndex % 3 === 0 ? '\n' : '';
    return ',' + comment + '\n' + blank + sp(cont);
  };
  const render = (n: FlowNode, outer: boolean): string => {
    if (n.t === 'fs') return n.text;
    const [open, close] = n.t === 'fseq' ? ['[', ']'] : ['{', '}'];
    const parts =
      n.t === 'fseq'
        ? n.items.map((item) => render(item, false))
        : n.entries.map((e) => (e.value === null ? `${e.key}:` : `${e.key}: ${render(e.value, false)}`));
    if (parts.length === 0) return layout.pad ? `${open} ${close}` : `${open}${close}`;
    let body = '';
    parts.forEach((p, i) => {
      body += (i > 0 ? nextSep() : '') + p;
    });
    if (layout.trailingComma && outer) body += ',';
    const pad = layout.pad ? ' ' : '';
    const start = outer && layout.openBreak && layout.breaks.length > 0 ? '\n' + sp(cont) : pad;
    const end = outer && layout.closeBreak !== 'none' ? '\n' + sp(layout.closeBreak === 'entry' ? entryIndent : cont) : pad;
    return open + start + body + end + close;
  };
  return render(node, true);
}

/**
 * Renders a value that follows `lead` (the text of its line so far, e.g. `  key:` or `  -`) on
 * that line. `indent` is the indentation of the structure the line belongs to.
 */
function renderValue(v: BlockValue, lead: string, gap: number, indent: number, comment: string | null, trailing: number, out: string[]): void {
  const eol = (comment !== null ? ' #' + comment : '') + sp(trailing);
  switch (v.t) {
    case 'scalar':
      out.push(lead + sp(gap) + v.text + eol);
      return;
    case 'empty':
      out.push(lead + eol);
      return;
    case 'flow': {
      const step = 2;
      out.push(lead + sp(gap) + renderFlow(v.node, v.layout, indent, indent + step) + eol);
      return;
    }
    case 'block': {
      const header = v.style + (v.indicator && !lead.trimStart().startsWith('-') ? String(v.step) : '') + v.chomp;
      out.push(lead + sp(gap) + header + eol);
      const content = indent + v.step;
      for (let i = 0; i < v.leadingBlank; i++) out.push('');
      for (const l of v.lines) out.push(l.text === null ? '' : sp(content + l.extra) + l.text);
      for (let i = 0; i < v.trailingBlank; i++) out.push('');
      return;
    }
    case 'map':
      out.push(lead + eol);
      renderEntries(v.entries, indent + v.step, out, null);
      return;
    case 'seq':
      out.push(lead + eol);
      renderItems(v.items, indent + v.step, out);
      return;
  }
}

function renderEntries(entries: MapEntry[], indent: number, out: string[], firstLead: string | null): void {
  entries.forEach((e, i) => {
    renderTrivia(e.before, indent, out);
    const prefix = i === 0 && firstLead !== null ? firstLead : sp(indent);
    const lead = prefix + keyToken(e.key.name, e.key.style, false) + (e.spaceBeforeColon ? ' :' : ':');
    renderValue(e.value, lead, e.gap, indent, e.comment, e.trailingSpaces, out);
  });
}

function renderItems(items: SeqItem[], indent: number, out: string[]): void {
  for (const item of items) {
    renderTrivia(item.before, indent, out);
    const v = item.value;
    if (v.t === 'map') {
      // compact: `- a: 1` with the other keys under `a`
      renderEntries(v.entries, indent + 1 + item.gap, out, sp(indent) + '-' + sp(item.gap));
    } else if (v.t === 'seq') {
      // compact nested sequence (edge only): `- - a`
      const inner = indent + 1 + item.gap;
      const lines: string[] = [];
      renderItems(v.items, inner, lines);
      const firstItem = lines.findIndex((l) => l.startsWith(sp(inner) + '-'));
      if (firstItem >= 0) lines[firstItem] = sp(indent) + '-' + sp(item.gap) + lines[firstItem]!.slice(inner);
      out.push(...lines);
    } else {
      renderValue(v, sp(indent) + '-', item.gap, indent, item.comment, 0, out);
    }
  }
}

/** A rendered document split so that whole top-level entries can be inserted between the parts. */
export interface DocParts {
  prefix: string;
  entries: string[];
  suffix: string;
  finalNewline: boolean;
  crlf: DocModel['crlf'];
}

export function renderParts(m: DocModel): DocParts {
  const head: string[] = [];
  renderTrivia(m.head, 0, head);
  // a block scalar or empty root is written after its own `---`
  const ownMarker = m.root.t === 'other' && (m.root.value.t === 'block' || m.root.value.t === 'empty');
  if (m.docStart && !ownMarker) head.push(m.docStart);
  const entries: string[] = [];
  if (m.root.t === 'map') {
    for (const e of m.root.entries) {
      const out: string[] = [];
      renderEntries([e], 0, out, null);
      entries.push(out.map((l) => l + '\n').join(''));
    }
  } else if (m.root.t === 'other') {
    const out: string[] = [];
    const v = m.root.value;
    if (v.t === 'map') renderEntries(v.entries, 0, out, null);
    else if (v.t === 'seq') renderItems(v.items, 0, out);
    else if (ownMarker) renderValue(v, '---', 1, 0, null, 0, out);
    else renderValue(v, '', 0, 0, null, 0, out);
    entries.push(out.map((l) => l + '\n').join(''));
  }
  const tail: string[] = [];
  renderTrivia(m.tail, 0, tail);
  if (m.docEnd) tail.push('...');
  return {
    // (the yaml package rejects a byte order mark before a root sequence)
    prefix: (m.bom && !(m.root.t === 'other' && m.root.value.t === 'seq') ? '\uFEFF' : '') + head.map((l) => l + '\n').join(''),
    entries,
    suffix: tail.map((l) => l + '\n').join(''),
    finalNewline: m.finalNewline,
    crlf: m.crlf,
  };
}

export function joinParts(p: DocParts): string {
  let text = p.prefix + p.entries.join('') + p.suffix;
  if (!p.finalNewline && text.endsWith('\n')) text = text.slice(0, -1);
  if (p.crlf === 'all') text = text.replace(/\n/g, '\r\n');
  else if (p.crlf === 'mixed') {
    let n = 0;
    text = text.replace(/\n/g, () => (n++ % 3 === 1 ? '\r\n' : '\n'));
  }
  return text;
}

export const renderDoc = (m: DocModel): string => joinParts(renderParts(m));

// ---------------------------------------------------------------------------------------------
// Public generators

/** Spec-style documents: everything here is meant to be read by the fast reader. */
export const specYamlDoc: fc.Arbitrary<string> = docModel(SPEC).map(renderDoc);

/** Valid YAML at the edges of the spec style: the fast reader may take it or defer. */
export const edgeYamlDoc: fc.Arbitrary<string> = docModel(EDGE).map(renderDoc);

/** The near-miss features, each a top-level snippet (or a whole-document change). */
export const NEAR_MISSES: Record<string, { entries?: string[]; prefix?: string; suffix?: string }> = {
  'anchor on a scalar': { entries: ['nm_anchor: &a1 value\n'] },
  'anchor and alias': { entries: ['nm_base: &base {x: 1}\n', 'nm_ref: *base\n'] },
  'anchor on a block map, alias in a sequence': { entries: ['nm_base: &m\n  a: 1\n', 'nm_list:\n  - *m\n  - x\n'] },
  'merge key': { entries: ['nm_base: &b {a: 1}\n', 'nm_merged:\n  <<: *b\n  c: 2\n'] },
  'tag !!str': { entries: ['nm_tag: !!str 123\n'] },
  'tag !!int on a quoted scalar': { entries: ['nm_tag: !!int "42"\n'] },
  'local tag': { entries: ['nm_tag: !custom x\n'] },
  'tag on a flow map': { entries: ['nm_tag: !!map {a: 1}\n'] },
  'multi-line plain scalar': { entries: ['nm_text: first part\n  second part\n'] },
  'multi-line plain in a sequence': { entries: ['nm_list:\n  - one\n    two\n'] },
  'multi-line plain in flow': { entries: ['nm_flow: [one\n  two, three]\n'] },
  'multi-line single-quoted': { entries: ["nm_q: 'first\n  second'\n"] },
  'multi-line double-quoted': { entries: ['nm_q: "first\n  second\\\n  third"\n'] },
  'tab indentation': { entries: ['nm_tab:\n\tb: 1\n'] },
  'tab after the colon': { entries: ['nm_tab:\t1\n'] },
  'tab before a comment': { entries: ['nm_tab: 1\t# c\n'] },
  'tab inside a flow map': { entries: ['nm_tab: {a:\t1}\n'] },
  'complex key': { entries: ['? nm_complex\n: value\n'] },
  'complex flow key': { entries: ['? [a, b]\n: value\n'] },
  'bad indentation (deeper sibling)': { entries: ['nm_bad:\n  b: 1\n   c: 2\n'] },
  'bad indentation (shallower sibling)': { entries: ['nm_bad:\n    b: 1\n  c: 2\n'] },
  'bad indentation (child of a scalar)': { entries: ['nm_bad: 1\n  b: 2\n'] },
  'unclosed [': { entries: ['nm_open: [a, b\n'] },
  'unclosed {': { entries: ['nm_open: {a: 1, b: 2\n'] },
  'unclosed quote': { entries: ['nm_open: "abc\n'] },
  'stray ]': { entries: ['nm_stray: a]\n', 'nm_x: ]\n'] },
  'second document': { entries: ['---\nnm_second: 1\n'] },
  'second document at the end': { suffix: '---\nnm_second: 1\n' },
  '%YAML directive': { prefix: '%YAML 1.2\n---\n' },
  '%TAG directive': { prefix: '%TAG !e! tag:example.com,2026:\n---\n' },
  'document end marker': { suffix: '...\n' },
  'reserved indicator @': { entries: ['nm_at: @handle\n'] },
  'reserved indicator `': { entries: ['nm_tick: `cmd`\n'] },
  'block scalar indentation indicator': { entries: ['nm_block: |2\n    indented\n  x\n'] },
  'block scalar with a more-indented first line': { entries: ['nm_block: |\n    deeper\n  shallower\n'] },
  'map value on the key line': { entries: ['nm_bad: a: b\n'] },
  'sequence on the key line': { entries: ['nm_bad: - x\n'] },
  'key without a space after the colon': { entries: ['nm_bad:x\n'] },
  'JSON-style key': { entries: ['"nm_json":1\n'] },
  'flow collection as a key': { entries: ['[a, b]: c\n'] },
  'empty key': { entries: [': value\n'] },
  'byte order mark in the middle': { entries: ['nm_bom: a\uFEFFb\n'] },
  'comment without a space': { entries: ['nm_c: value# not a comment\n'] },
  'sequence at the key indentation': { entries: ['nm_seq:\n- a\n- b\n'] },
  'null key in flow': { entries: ['nm_flow: {: x}\n'] },
  'flow pair in a sequence': { entries: ['nm_flow: [a: 1, b]\n'] },
  'very long key': { entries: ['k'.repeat(1100) + ': 1\n'] },
};

export const NEAR_MISS_NAMES = Object.keys(NEAR_MISSES);

/** A spec document with one near-miss feature spliced in between its top-level entries. */
export const nearMissYamlDoc: fc.Arbitrary<{ feature: string; text: string }> = fc
  .tuple(docModel(SPEC), fc.constantFrom(...NEAR_MISS_NAMES), fc.nat(), fc.nat())
  .map(([m, feature, at1, at2]) => {
    const parts = renderParts(m);
    const nm = NEAR_MISSES[feature]!;
    const entries = parts.entries.slice();
    if (nm.entries) {
      // insert in order, the second at or after the first
      let pos = at1 % (entries.length + 1);
      nm.entries.forEach((snippet, i) => {
        if (i > 0) pos = pos + 1 + (at2 % (entries.length - pos + 1));
        entries.splice(pos, 0, snippet);
      });
    }
    // a snippet must start on its own line: the entry before it ends with a newline already
    const prefix = nm.prefix ? nm.prefix + parts.prefix.replace(/^(---.*\n)/m, '') : parts.prefix;
    const suffix = nm.suffix ? parts.suffix + nm.suffix : parts.suffix;
    return { feature, text: joinParts({ ...parts, prefix, entries, suffix }) };
  });

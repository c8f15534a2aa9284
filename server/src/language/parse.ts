import { buildDefinition, buildSpec } from './build';
import { formulasOf, type Definition, type SpecFile } from './model';
import type { Problem } from './problem';
import { checkSchema, checkSchemaParts, validatedEntries, type Section, SECTIONS } from './schema';
import { timed } from './timing';
import { fastLoad } from './yaml/fast';
import { loadYamlWithPackage } from './yaml/load';
import type { YMap, YNode, YPair } from './yaml/tree';
import type { Span } from './span';

/** A spec file after parsing, before cross-file analysis. */
export interface ParsedSpec {
  spec: SpecFile;
  /** YAML, schema and formula syntax problems. */
  problems: Problem[];
}

/**
 * What an edit inside one definition entry needs to parse that entry alone (see reparse.ts):
 * the entries and the problems of the parse, each problem with the part it came from.
 * Kept beside a ParsedSpec read by the fast YAML reader with a schema that splits by entry.
 */
export interface ParseState {
  /** Reader problems (duplicate keys), in document order. */
  yaml: Problem[];
  /** Schema problems around the definitions (see checkSchemaParts). */
  skeleton: Problem[];
  /** Every pair of the first mapping of each section, in document order. */
  entries: Entry[];
  /** Formula problems of each definition, by its index in spec.definitions. */
  formulas: Problem[][];
  /** Every edit since the full parse, in order; shared along the chain of reparses (see EditLog). */
  log: EditLog;
}

/** One definition entry: a pair of a section's mapping. */
export interface Entry {
  section: Section;
  sectionPair: YPair;
  pair: YPair;
  /** Its index in the section mapping's pairs. */
  index: number;
  /** Its index in spec.definitions; -1 when its key is not text (no definition). */
  def: number;
  /** Schema problems of the entry; undefined when the schema does not check it (a repeated id). */
  schema: Problem[] | undefined;
}

/** An edit that replaced old text [at, oldEnd) by new text [at, newEnd), re-reading one entry. */
export interface Edit {
  at: number;
  oldEnd: number;
  newEnd: number;
  /** The index in spec.definitions of the definition rebuilt; -1 if none. */
  def: number;
}

/**
 * The edits since a full parse, shared by the chain of parses that followed it: a reparse
 * appends its edit, and each parse knows how many edits it includes (see parseStateOf).
 */
export interface EditLog {
  readonly edits: Edit[];
}

const states = new WeakMap<ParsedSpec, { state: ParseState; logLength: number }>();

/**
 * The parse state kept with a parsed spec, if an edit inside an entry can be parsed alone, and
 * how many edits of its log the parse includes (fewer than the log holds: a later parse went on from it).
 */
export function parseStateOf(parsed: ParsedSpec): { state: ParseState; logLength: number } | undefined {
  return states.get(parsed);
}

export function setParseState(parsed: ParsedSpec, state: ParseState): void {
  states.set(parsed, { state, logLength: state.log.edits.length });
}

/** Text in, model and problems out. Pure; never throws on input. */
export function parseSpec(file: string, text: string): ParsedSpec {
  const fast = timed('parse', () => fastLoad(text, file));
  const loaded = fast ?? timed('parse', () => loadYamlWithPackage(text, file));
  // The fast reader reports only duplicate keys, in the order it closes mappings: document order is the canonical one.
  const yaml = fast ? detachAll(loaded.problems).sort((a, b) => a.span.offset - b.span.offset) : detachAll(loaded.problems);
  const broken = loaded.problems.some((p) => p.rule === 'yaml-syntax');
  if (broken) return parsedAroundYamlErrors(file, text, loaded.root, yaml);
  const parts = timed('schema', () => checkSchemaParts(loaded.root, file));
  const schema = parts ? undefined : detachAll(timed('schema', () => checkSchema(loaded.root, file)));
  const spec = timed('model', () => buildSpec(file, text, loaded.root));
  const formulas = spec.definitions.map((def) => formulaProblems(def, text, file));
  if (!parts) return { spec, problems: [...yaml, ...schema!, ...formulas.flat()] };

  const skeleton = detachAll(parts.skeleton);
  const entrySchema = new Map([...parts.entries].map(([pair, problems]) => [pair, detachAll(problems)]));
  const problems = [...yaml, ...skeleton, ...[...entrySchema.values()].flat(), ...formulas.flat()];
  const parsed: ParsedSpec = { spec, problems };
  const entries = fast ? entriesOf(spec, entrySchema) : undefined;
  if (entries) setParseState(parsed, { yaml, skeleton, entries, formulas, log: { edits: [] } });
  return parsed;
}

/**
 * A spec whose YAML has errors: the definitions an error does not touch keep their schema and
 * formula problems, so that one bad line does not hide the rest of the file. Those it touches
 * (from the line before the error to the error's last line) and the shape of the file around
 * the definitions would mostly echo the error: the error alone is reported there.
 */
function parsedAroundYamlErrors(file: string, text: string, root: YNode | null, yaml: Problem[]): ParsedSpec {
  const zones = yaml.filter((p) => p.rule === 'yaml-syntax').map((p) => errorZone(text, p.span));
  const touched = (span: Span) => zones.some((z) => span.offset <= z.end && z.start <= span.offset + span.length);
  const parts = root ? timed('schema', () => checkSchemaParts(root, file)) : undefined;
  const schema = parts ? [...parts.entries].filter(([pair]) => !touched(pair.span)).flatMap(([, problems]) => detachAll(problems)) : [];
  const spec = timed('model', () => buildSpec(file, text, root));
  const formulas = spec.definitions.filter((def) => !touched(def.span)).flatMap((def) => formulaProblems(def, text, file));
  return { spec, problems: [...yaml, ...schema, ...formulas] };
}

/** From the start of the line before an error (whose value the error may have cut short) to the end of its last line. */
function errorZone(text: string, span: Span): { start: number; end: number } {
  const lineStart = text.lastIndexOf('\n', span.offset - 1) + 1;
  const start = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : 0;
  const nl = text.indexOf('\n', span.offset + span.length);
  return { start, end: nl < 0 ? text.length : nl };
}

/**
 * Every pair of each section mapping the model reads, with its definition's index and its
 * schema problems; undefined when these are not exactly the entries the schema checked alone.
 */
function entriesOf(spec: SpecFile, schema: Map<YPair, Problem[]>): Entry[] | undefined {
  const entries: Entry[] = [];
  if (!spec.root) return schema.size ? undefined : entries;
  // Definitions are built section by section (sources, metrics, kpis, goals), skipping keys that are not text.
  const firstDef = new Map<Section, number>();
  let count = 0;
  for (const s of SECTIONS) {
    firstDef.set(s, count);
    for (const p of sectionPairs(spec, s)) if (typeof p.key.value === 'string') count++;
  }
  let covered = 0;
  for (const v of validatedEntries(spec.root)) {
    if (v.sectionPair.value !== sectionMap(spec, v.section)) return undefined;
    let def = firstDef.get(v.section)!;
    (v.sectionPair.value as YMap).pairs.forEach((pair, index) => {
      const problems = schema.get(pair);
      if (problems) covered++;
      entries.push({ section: v.section, sectionPair: v.sectionPair, pair, index, def: typeof pair.key.value === 'string' ? def++ : -1, schema: problems });
    });
  }
  return covered === schema.size ? entries : undefined;
}

/**
 * The model alone, for evaluation: no schema or formula problems, and no YAML tree kept
 * (`spec.root` and every `def.node` are null), which holds most of a parse's memory. The
 * definitions equal parseSpec's otherwise. Problems are the YAML reader's only.
 */
export function parseModel(file: string, text: string): ParsedSpec {
  // Each entry of a section becomes its definition as soon as it is read, and its nodes are
  // let go: the whole tree never exists at once.
  const built = new Map<YPair, Definition>();
  const onEntry = (top: unknown, pair: YPair) => {
    if (!(SECTIONS as readonly unknown[]).includes(top) || typeof pair.key.value !== 'string') return;
    const def = buildDefinition(file, text, top as Section, pair);
    def.node = null;
    built.set(pair, def);
    pair.value = null;
  };
  const fast = timed('parse', () => fastLoad(text, file, onEntry));
  const loaded = fast ?? timed('parse', () => loadYamlWithPackage(text, file));
  const spec = timed('model', () => buildSpec(file, text, loaded.root, fast ? built : undefined));
  spec.root = null;
  for (const def of spec.definitions) def.node = null;
  const parsed = { spec, problems: detachAll(loaded.problems) };
  if (fast) readByFastReader.add(parsed);
  return parsed;
}

/** Models read by the fast reader: only those are re-read entry by entry (remodel.ts); the package's spans differ. */
const readByFastReader = new WeakSet<ParsedSpec>();

export function isFastModel(parsed: ParsedSpec): boolean {
  return readByFastReader.has(parsed);
}

export function markFastModel(parsed: ParsedSpec): void {
  readByFastReader.add(parsed);
}

/** The parse problems in their canonical order: reader, schema around and in the entries (document order), formulas. */
export function assemble(state: ParseState): Problem[] {
  const out = [...state.yaml, ...state.skeleton];
  for (const e of state.entries) if (e.schema) for (const p of e.schema) out.push(p);
  for (const list of state.formulas) for (const p of list) out.push(p);
  return out;
}

/** formula-syntax and formula-too-complex of one definition. */
export function formulaProblems(def: Definition, text: string, file: string): Problem[] {
  const problems: Problem[] = [];
  for (const f of formulasOf(def)) {
    // A comma right after an unbalanced formula: YAML's flow mapping cut it there.
    const cutByComma = text[f.span.offset + f.span.length] === ',' && f.text.split('(').length > f.text.split(')').length;
    for (const e of f.errors) {
      const hint = cutByComma && e.kind === 'syntax' ? "; inside `{ … }` a comma ends the value, so quote the formula: `formula: 'max(a, b)'`" : '';
      problems.push({ rule: e.kind === 'limit' ? 'formula-too-complex' : 'formula-syntax', severity: 'error', message: e.message + hint, file, span: { ...e.span } });
    }
  }
  return problems;
}

/** The mapping buildSpec reads a section from: the first pair of that key. */
function sectionMap(spec: SpecFile, section: Section) {
  return spec.root?.pairs.find((p) => p.key.value === section)?.value;
}

function sectionPairs(spec: SpecFile, section: Section): YPair[] {
  const map = sectionMap(spec, section);
  return map?.kind === 'map' ? map.pairs : [];
}

/**
 * A problem with spans of its own: the tree's spans move when an edit is spliced in, and a
 * problem kept from before must not move with them.
 */
export function detach(p: Problem): Problem {
  return withSpans(p, { offset: p.span.offset, length: p.span.length }, p.related?.map((r) => ({ file: r.file, span: { offset: r.span.offset, length: r.span.length }, message: r.message })));
}

/**
 * A copy of a problem with other spans. Written out rather than spread (`{ ...p, span }`): V8
 * gives spread copies made by the thousand a hidden class each.
 */
export function withSpans(p: Problem, span: Problem['span'], related: Problem['related']): Problem {
  const out: Problem = { rule: p.rule, severity: p.severity, message: p.message, file: p.file, span };
  if (related) out.related = related;
  if (p.data) out.data = p.data;
  return out;
}

export function detachAll(problems: Problem[]): Problem[] {
  return problems.map(detach);
}

import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import schemaJson from '../../../schemas/kpispec.schema.json';
import type { Problem } from './problem';
import type { Span } from './span';
import { closest, didYouMean } from './suggest';
import type { YMap, YNode, YPair } from './yaml/tree';
import { entrySchema, fingerprint, isSplittable, SECTIONS, skeletonOf, type SchemaJson, type Section } from './schemaSplit';
import * as precompiled from './schemaValidators.generated';

export { SECTIONS, type Section } from './schemaSplit';

interface Validators {
  /** The whole schema (compiled when first asked for). */
  whole: () => ValidateFunction;
  /**
   * The file without its definitions: the schema with each section's entries left unchecked
   * (their ids still are), and one validator per section for a single entry's value. Absent
   * when the schema is shaped so that this split could change what it reports.
   */
  split?: { skeleton: ValidateFunction; entry: Record<Section, ValidateFunction> };
}

let compiled: Validators | undefined;

/**
 * The validators, made once per process on first use. The split ones are precompiled
 * (schemaValidators.generated.js), unless they were compiled from another schema.
 */
function validators(): Validators {
  if (compiled) return compiled;
  const schema = schemaJson as SchemaJson;
  let ajv: Ajv2020 | undefined;
  const compiler = () => {
    if (ajv) return ajv;
    ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false });
    ajv.addKeyword('x-message');
    ajv.addSchema(schema);
    return ajv;
  };
  let whole: ValidateFunction | undefined;
  compiled = { whole: () => (whole ??= compiler().getSchema(schema.$id)!) };
  if (!isSplittable(schema)) return compiled;
  if (precompiled.fingerprint === fingerprint(schema)) {
    const { skeleton, sources, metrics, kpis, goals } = precompiled;
    compiled.split = { skeleton, entry: { sources, metrics, kpis, goals } };
    return compiled;
  }
  const entry = {} as Record<Section, ValidateFunction>;
  for (const s of SECTIONS) entry[s] = compiler().compile(entrySchema(schema, s));
  compiled.split = { skeleton: compiler().compile(skeletonOf(schema)), entry };
  return compiled;
}

/** Checks the tree against schemas/kpispec.schema.json: one understandable problem per mistake. */
export function checkSchema(root: YNode | null, file: string): Problem[] {
  const parts = checkSchemaParts(root, file);
  if (!parts) return checkSchemaWhole(root, file);
  const out = [...parts.skeleton];
  for (const problems of parts.entries.values()) out.push(...problems);
  return out;
}

/** The whole file in one validation: the reference the split is held to (see the tests). */
export function checkSchemaWhole(root: YNode | null, file: string): Problem[] {
  if (!root) return [emptyFile(file)];
  const validate = validators().whole();
  if (validate(toPlain(root))) return [];
  return toProblems(validate.errors ?? [], root, file, '');
}

/**
 * The schema's problems in two parts: those of the file around its definitions, and those of
 * each definition entry the schema checks (the first of each id in the first of each section),
 * in document order. Undefined when the schema cannot be split (then use checkSchema).
 */
export function checkSchemaParts(root: YNode | null, file: string): { skeleton: Problem[]; entries: Map<YPair, Problem[]> } | undefined {
  const split = validators().split;
  if (!split) return undefined;
  if (!root) return { skeleton: [emptyFile(file)], entries: new Map() };
  const entries = new Map<YPair, Problem[]>();
  const skeleton = split.skeleton(toPlain(root, true)) ? [] : toProblems(split.skeleton.errors ?? [], root, file, '');
  for (const { section, pairs } of validatedEntries(root)) {
    for (const pair of pairs) entries.set(pair, checkSchemaEntry(root, section, pair, file));
  }
  return { skeleton, entries };
}

/** The problems of one definition entry (a pair of a section's mapping that the schema checks). */
export function checkSchemaEntry(root: YNode, section: Section, pair: YPair, file: string): Problem[] {
  const validate = validators().split!.entry[section];
  if (validate(toPlain(pair.value))) return [];
  return toProblems(validate.errors ?? [], root, file, `/${section}/${escapePointer(String(pair.key.value))}`);
}

/**
 * The section mappings the schema checks (the first pair of each top-level key, as in toPlain)
 * with the entries it checks in each: the first pair of each id. Document order.
 */
export function validatedEntries(root: YNode): { section: Section; sectionPair: YPair; pairs: YPair[] }[] {
  if (root.kind !== 'map') return [];
  const out: { section: Section; sectionPair: YPair; pairs: YPair[] }[] = [];
  const seenTop = new Set<string>();
  for (const top of root.pairs) {
    const name = String(top.key.value);
    if (seenTop.has(name)) continue;
    seenTop.add(name);
    if (!(SECTIONS as readonly string[]).includes(name) || top.value?.kind !== 'map') continue;
    const seen = new Set<string>();
    const pairs: YPair[] = [];
    for (const p of (top.value as YMap).pairs) {
      const id = String(p.key.value);
      if (seen.has(id)) continue;
      seen.add(id);
      pairs.push(p);
    }
    out.push({ section: name as Section, sectionPair: top, pairs });
  }
  return out;
}

function emptyFile(file: string): Problem {
  return { rule: 'unsupported-version', severity: 'error', message: 'this file is empty; a spec starts with `kpispec: 1`', file, span: { offset: 0, length: 0 } };
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** ajv's errors (paths under `prefix`) as problems: the relevant ones, each once. */
function toProblems(errors: ErrorObject[], root: YNode, file: string, prefix: string): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const e of relevant(errors)) {
    const p = toProblem(prefix ? { ...e, instancePath: prefix + e.instancePath } : e, root, file);
    if (!p) continue;
    const key = `${p.rule}:${p.span.offset}:${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(p);
  }
  return problems;
}

/**
 * Drops the noise. A failed union (anyOf) is reported after its branches' errors: when a
 * branch fits the value's type and fails deeper (a malformed percent), keep that specific
 * error; when no branch fits the type, keep the union error with its `x-message`.
 * `if` wrappers and the `propertyNames` echo go; one value error per value stays.
 */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'propertyNames') continue;
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      const branch: ErrorObject[] = [];
      while (out.length && within(out[out.length - 1]!.instancePath, e.instancePath)) branch.unshift(out.pop()!);
      const specific = branch.filter((b) => b.keyword !== 'type' || b.instancePath !== e.instancePath);
      out.push(...(specific.length ? specific : [e]));
      continue;
    }
    out.push(e);
  }
  const valueErrors = new Set<string>();
  return out.filter((e) => {
    if (e.keyword === 'required' || e.keyword === 'additionalProperties' || e.propertyName !== undefined) return true;
    if (valueErrors.has(e.instancePath)) return false;
    valueErrors.add(e.instancePath);
    return true;
  });
}

function within(path: string, parent: string): boolean {
  return path === parent || path.startsWith(parent + '/');
}

function toProblem(e: ErrorObject, root: YNode, file: string): Problem | undefined {
  const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const { node, pair } = locate(root, segments);
  const where = segments.length ? `\`${segments.join('.')}\`` : 'the file';
  const xMessage = (e.parentSchema as Record<string, unknown> | undefined)?.['x-message'] as string | undefined;
  const valueSpan: Span = node?.span ?? pair?.key.span ?? { offset: 0, length: 0 };
  const keySpan: Span = pair?.key.span ?? (node ? { offset: node.span.offset, length: 0 } : { offset: 0, length: 0 });
  const make = (rule: string, message: string, span: Span, data?: Problem['data']): Problem => ({ rule, severity: 'error', message, file, span, ...(data ? { data } : {}) });

  if (e.propertyName !== undefined) {
    const key = findKey(node, e.propertyName);
    return make('invalid-id', `\`${e.propertyName}\` is not a valid id: ids are lower_snake_case letters, digits and single underscores, starting with a letter (e.g. \`bounce_rate\`)`, key?.key.span ?? keySpan);
  }
  if (segments[segments.length - 1] === 'weight') {
    return make('invalid-weight', `${where} must be a positive number, found ${describe(node)}`, valueSpan);
  }
  switch (e.keyword) {
    case 'required': {
      const missing = String(e.params.missingProperty);
      if (segments.length === 0 && missing === 'kpispec') {
        return make('unsupported-version', 'not a kpispec spec: the file must start with `kpispec: 1`', { offset: 0, length: 0 });
      }
      return make('missing-key', xMessage ? `${where}: ${xMessage}` : `${where} needs \`${missing}\``, keySpan, { missing });
    }
    case 'additionalProperties': {
      const extra = String(e.params.additionalProperty);
      const known = Object.keys(((e.parentSchema as Record<string, unknown>)?.properties as object) ?? {});
      const key = findKey(node, extra);
      const suggestion = closest(extra, known);
      const hint = suggestion ? ` (did you mean \`${suggestion}\`?)` : known.length ? `; known keys: ${known.join(', ')}` : '';
      return make('unknown-key', `unknown key \`${extra}\` in ${where}${hint}`, key?.key.span ?? keySpan, suggestion ? { suggestion } : undefined);
    }
    case 'const':
      if (segments.length === 1 && segments[0] === 'kpispec') {
        return make('unsupported-version', `kpispec version ${describe(node)} is not supported; this checker reads \`kpispec: 1\``, valueSpan);
      }
      if (xMessage) return make('invalid-value', `${where}: ${xMessage}; found ${describe(node)}`, valueSpan);
      return make('invalid-value', `${where} must be ${JSON.stringify(e.params.allowedValue)}, found ${describe(node)}`, valueSpan);
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const found = node?.kind === 'scalar' ? String(node.value) : '';
      return make('invalid-value', `${where} must be one of ${allowed.join(', ')}; found ${describe(node)}${didYouMean(found, allowed)}`, valueSpan,
        closest(found, allowed) ? { suggestion: closest(found, allowed)! } : undefined);
    }
    case 'uniqueItems': {
      // ajv's `i` is the first copy, `j` the later one (0-based).
      const copy = node?.kind === 'seq' ? node.items[Number(e.params.j)] : undefined;
      return make('invalid-value', `${where} lists ${describe(copy)} twice (items ${Number(e.params.i) + 1} and ${Number(e.params.j) + 1})`, copy?.span ?? valueSpan);
    }
    case 'type':
      return make('invalid-value', `${where} must be ${article(String(e.params.type))}, found ${describe(node)}`, valueSpan);
    default:
      if (xMessage) return make('invalid-value', `${where}: ${xMessage}; found ${describe(node)}`, valueSpan);
      return make('invalid-value', `${where} ${e.message ?? 'is not valid'}, found ${describe(node)}`, valueSpan);
  }
}

function article(type: string): string {
  const names: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'text', number: 'a number', integer: 'a whole number', boolean: 'true or false', null: 'empty' };
  return type.split(',').map((t) => names[t] ?? t).join(' or ');
}

function describe(node: YNode | null | undefined): string {
  if (!node) return 'nothing';
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  if (node.value === null) return 'nothing';
  if (typeof node.value === 'string') return `\`${node.value.length > 40 ? node.value.slice(0, 40) + '…' : node.value}\``;
  return `\`${String(node.value)}\``;
}

function findKey(node: YNode | null | undefined, key: string): YPair | undefined {
  if (node?.kind !== 'map') return undefined;
  return node.pairs.find((p) => String(p.key.value) === key);
}

function locate(root: YNode, segments: string[]): { node: YNode | null | undefined; pair?: YPair } {
  let node: YNode | null | undefined = root;
  let pair: YPair | undefined;
  for (const seg of segments) {
    if (node?.kind === 'map') {
      pair = findKey(node, seg);
      node = pair?.value;
    } else if (node?.kind === 'seq') {
      node = node.items[Number(seg)];
      pair = undefined;
    } else return { node: undefined, pair };
  }
  return { node, pair };
}

/**
 * The tree as plain JSON data for ajv. Keys are strings, as in JSON. With `skeleton`, the
 * section mappings keep their ids but not their entries' values (the skeleton validator does
 * not look at them).
 */
export function toPlain(node: YNode | null, skeleton = false): unknown {
  if (!node) return null;
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map((item) => toPlain(item));
    case 'map': {
      // No prototype: a key like `__proto__` is just a key.
      const out: Record<string, unknown> = Object.create(null);
      for (const p of node.pairs) {
        const k = String(p.key.value);
        if (k in out) continue;
        out[k] = skeleton && p.value?.kind === 'map' && (SECTIONS as readonly string[]).includes(k) ? idsOnly(p.value) : toPlain(p.value);
      }
      return out;
    }
  }
}

function idsOnly(map: YMap): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const p of map.pairs) out[String(p.key.value)] = null;
  return out;
}

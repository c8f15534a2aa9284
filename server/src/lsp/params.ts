import { ErrorCodes, ResponseError, type Position, type Range } from 'vscode-languageserver';

/**
 * Params as a client may send them, checked before use: the library passes on whatever JSON
 * came. A shape the request cannot take is refused with InvalidParams naming the field and what
 * it allows; positions past the end of a document are fine (they are clamped where used).
 */

export function invalid(field: string, allowed: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `${field} must be ${allowed}`);
}

type Fields = Record<string, unknown>;

export function object(value: unknown, field: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(field, 'an object');
  return value as Fields;
}

export function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(field, 'an array');
  return value;
}

export function string(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalid(field, 'a string');
  return value;
}

/** LSP's uinteger: a whole number from 0 to 2^31 - 1. */
export function uinteger(value: unknown, field: string): number {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 2 ** 31 - 1) throw invalid(field, 'a whole number from 0 to 2147483647');
  return value as number;
}

export function integer(value: unknown, field: string): number {
  if (!Number.isInteger(value) || Math.abs(value as number) > 2 ** 31 - 1) throw invalid(field, 'a whole number');
  return value as number;
}

export function position(value: unknown, field: string): Position {
  const p = object(value, field);
  return { line: uinteger(p.line, `${field}.line`), character: uinteger(p.character, `${field}.character`) };
}

export function range(value: unknown, field: string): Range {
  const r = object(value, field);
  return { start: position(r.start, `${field}.start`), end: position(r.end, `${field}.end`) };
}

/** `params.textDocument.uri`. */
export function documentUri(params: unknown): string {
  return string(object(object(params, 'params').textDocument, 'textDocument').uri, 'textDocument.uri');
}

/** `textDocument.uri` and `position`, as most requests carry them. */
export function documentPosition(params: unknown): { uri: string; position: Position } {
  return { uri: documentUri(params), position: position(object(params, 'params').position, 'position') };
}

/**
 * Quotes only where YAML needs them: a quoted formula that reads the same without its quotes
 * is written plain. Whether it does is asked of the yaml package itself, in the context the
 * formula sits in (inside `{ ... }` a comma needs quotes, in block style it does not).
 */
import { CST, parseDocument } from 'yaml';

/** The formula text to write plain instead of this quoted scalar; undefined to keep it as written. */
export function unquoted(token: CST.FlowScalar, flow: boolean): string | undefined {
  if (token.type !== 'single-quoted-scalar' && token.type !== 'double-quoted-scalar') return undefined;
  if (token.source.includes('\n')) return undefined;
  const resolved = CST.resolveAsScalar(token);
  const value = resolved?.value;
  if (typeof value !== 'string' || !plainReadsAs(value, flow)) return undefined;
  return value;
}

/** Whether `value` written as a plain scalar reads back as exactly that text. */
export function plainReadsAs(value: string, flow: boolean): boolean {
  if (value === '' || value !== value.trim() || /[\n\r\t\uFEFF]/.test(value)) return false;
  if ('-?:,[]{}#&*!|>\'"%@`'.includes(value[0]!)) return false;
  if (value.includes(': ') || value.includes(' #') || value.endsWith(':')) return false;
  if (flow && /[,[\]{}]/.test(value)) return false;
  // Most formulas: names, numbers, operators and calls, read as text by every schema.
  if (/^[A-Za-z_][\w ()+\-*/.,%<>=!]*$/.test(value) && !/[ ,]$/.test(value) && !/^(true|false|null)$/i.test(value)) return true;
  // The package decides the rest (numbers, booleans, nulls, dates read as other than text).
  const doc = parseDocument(flow ? `[${value}]\n` : `k: ${value}\n`, { uniqueKeys: false });
  if (doc.errors.length || doc.warnings.length) return false;
  const read = doc.toJS() as unknown;
  return flow ? Array.isArray(read) && read.length === 1 && read[0] === value : (read as { k?: unknown } | null)?.k === value;
}

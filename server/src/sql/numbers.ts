import { CURRENCY_CODES, CURRENCY_SYMBOLS_AFTER, CURRENCY_SYMBOLS_BEFORE, type NumberFormat } from '../data/values';
import type { Dialect } from './dialect';

/**
 * The engine's number grammar (data/values.ts `parseNumberText`) as SQL over a trimmed text:
 * the decimal mark, thousands separators in real groups of three, a currency symbol or code
 * around the amount, a trailing `%` as a fraction. Written with regular expressions that RE2
 * (DuckDB, BigQuery) and POSIX (PostgreSQL, Snowflake) read alike: no lookarounds.
 */
export function numberCases(d: Dialect, text: string, nf: NumberFormat, cast: (t: string) => string): string {
  const plainNumber = nf.decimal === '.' ? NUMBER_DOT : NUMBER_COMMA;
  const rest = percent(d, withoutCurrency(d, text), (x) => grouped(d, x, nf, cast));
  return `CASE WHEN ${d.matches(text, plainNumber)} THEN ${cast(nf.decimal === ',' ? `REPLACE(${text}, ',', '.')` : text)} ELSE ${rest} END`;
}

const NUMBER_DOT = '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$';
const NUMBER_COMMA = '^[+-]?([0-9]+(,[0-9]*)?|,[0-9]+)([eE][+-]?[0-9]+)?$';

const escape = (chars: string) => chars.replace(/[$.^|?*+()[\]{}\\]/g, (c) => `\\${c}`);
const alternatives = (list: readonly string[]) => list.map(escape).join('|');
const BEFORE = `^([+-]?)\\s*(${alternatives(CURRENCY_SYMBOLS_BEFORE)}|${CURRENCY_CODES.join('|')})\\s*([0-9.,])`;
const AFTER = `([0-9.,])\\s*(${alternatives(CURRENCY_SYMBOLS_AFTER)}|${CURRENCY_CODES.join('|')})$`;

/** The text without a currency mark before the amount (keeping the sign), else without one after it. */
function withoutCurrency(d: Dialect, t: string): string {
  return `CASE WHEN ${d.matches(t, `${BEFORE}.*$`)} THEN REGEXP_REPLACE(${t}, ${d.string(BEFORE)}, ${d.string('\\1\\3')}) ELSE REGEXP_REPLACE(${t}, ${d.string(AFTER)}, ${d.string('\\1')}) END`;
}

/** `3.5%` is 0.035: the number before the `%`, divided by 100. */
function percent(d: Dialect, t: string, number: (t: string) => string): string {
  return `CASE WHEN ${d.matches(t, '^.*%$')} THEN ${number(`REGEXP_REPLACE(${t}, ${d.string('\\s*%$')}, '')`)} / 100 ELSE ${number(t)} END`;
}

/** A number with the source's decimal mark; with a thousands separator, only in real groups of three. */
function grouped(d: Dialect, t: string, nf: NumberFormat, cast: (t: string) => string): string {
  const mark = nf.decimal === '.' ? '[.]' : ',';
  const plain = nf.decimal === '.' ? `CASE WHEN ${d.matches(t, NUMBER_DOT)} THEN ${cast(t)} END`
    : `CASE WHEN ${d.matches(t, NUMBER_COMMA)} THEN ${cast(`REPLACE(${t}, ',', '.')`)} END`;
  const sep = nf.thousands === nf.decimal ? undefined : nf.thousands;
  if (!sep) return plain;
  const s = `[${sep === "'" ? "'" : escape(sep)}]`;
  const groups = `^[+-]?[0-9]{1,3}(${s}[0-9]{3})+(${mark}[0-9]*)?$`;
  const digits = `REPLACE(${t}, ${d.string(sep)}, '')`;
  return `CASE WHEN ${d.matches(t, `^.*${s}.*$`)} THEN CASE WHEN ${d.matches(t, groups)} THEN ${cast(nf.decimal === ',' ? `REPLACE(${digits}, ',', '.')` : digits)} END ELSE ${plain} END`;
}

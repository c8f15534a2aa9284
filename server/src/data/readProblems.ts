import type { ColumnType, DataProblem } from './table';
import { plural } from './tally';

/**
 * How unreadable values are worded, wherever they are counted (the in-process reader, the SQL
 * engines), so that both engines report a data file's problems in the same words.
 */

const TYPE_WORDS: Record<ColumnType, string> = { number: 'numbers', date: 'dates', boolean: 'true/false', string: 'text' };

export function unreadableValuesMessage(column: string, count: number, type: ColumnType): string {
  return `column \`${column}\`: ${plural(count, 'value')} cannot be read as ${TYPE_WORDS[type]} and count as no data`;
}

export function unreadableTimeMessage(column: string, count: number, timeFormat: string | undefined): string {
  const format = timeFormat ? `\`${timeFormat}\`` : 'ISO 8601 (YYYY-MM-DD)';
  return `time column \`${column}\`: ${plural(count, 'value')} cannot be read as ${format} dates; those rows fall in no period`;
}

/** The message with its first examples (`line 5: \`x\``), when it has any. */
export function withExamples(message: string, examples: DataProblem['examples']): string {
  return examples.length ? `${message} (e.g. line ${examples.map((x) => `${x.line}: \`${x.value}\``).join(', ')})` : message;
}

/** Rows of a timed source in no period: with an empty time, and with one that does not read. */
export function undatedReasons(time: string, undated: number, unreadable: number): { reason: string; rows: number }[] {
  const bad = Math.min(undated, unreadable);
  const out: { reason: string; rows: number }[] = [];
  if (undated - bad) out.push({ reason: `an empty \`${time}\``, rows: undated - bad });
  if (bad) out.push({ reason: `an unreadable \`${time}\``, rows: bad });
  return out;
}

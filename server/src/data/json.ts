import { Tally, clip } from './tally';

/**
 * JSON sources as records: an array of objects, or NDJSON (one object per line). A record
 * that is not an object, or an NDJSON line that is not JSON, is counted and skipped; the rest
 * are still read. Values stay JS values; typing happens per column later.
 */
export interface Records {
  records: Record<string, unknown>[];
  /** NDJSON: the line of each record. JSON arrays have none (examples use record numbers). */
  lines?: Int32Array;
  /** Records or lines that are not JSON objects. */
  bad: Tally;
}

export function parseJsonArray(text: string): Records | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(stripBom(text));
  } catch (e) {
    return { error: `it is not valid JSON (${whereJsonFailed(text, (e as Error).message)})` };
  }
  if (!Array.isArray(data)) return { error: 'a JSON source must be an array of objects' };
  const records: Record<string, unknown>[] = [];
  const bad = new Tally();
  data.forEach((x, i) => {
    if (isRecord(x)) records.push(x);
    else bad.add(i + 1, () => clip(JSON.stringify(x) ?? String(x)));
  });
  return { records, bad };
}

export function parseNdjson(text: string): Records {
  text = stripBom(text);
  const records: Record<string, unknown>[] = [];
  const lines: number[] = [];
  const bad = new Tally();
  let line = 0;
  for (let i = 0; i <= text.length; ) {
    let j = text.indexOf('\n', i);
    if (j < 0) j = text.length;
    line++;
    const raw = text.slice(i, j).trim();
    i = j + 1;
    if (raw === '') continue;
    let x: unknown;
    try {
      x = JSON.parse(raw);
    } catch {
      x = undefined;
    }
    if (isRecord(x)) {
      records.push(x);
      lines.push(line);
    } else bad.add(line, () => raw);
  }
  return { records, lines: Int32Array.from(lines), bad };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** JSON.parse says "at position N"; people want a line. */
function whereJsonFailed(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return message;
  const at = Math.min(+m[1]!, text.length);
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return `${message.replace(/ in JSON at position \d+.*$/, '')} on line ${line}`;
}

import type { DataProblem } from './table';

const EXAMPLES = 3;
const MAX_EXAMPLE_CHARS = 60;

/** Counts bad values and keeps the first few, so a million bad cells cost a counter, not a list. */
export class Tally {
  count = 0;
  readonly examples: { line: number; value: string }[] = [];

  /** `value` is only called for the first few, so callers can pass a lazy decoder. */
  add(line: number, value: () => string): void {
    if (this.count++ < EXAMPLES) this.examples.push({ line, value: clip(value()) });
  }

  problem(kind: DataProblem['kind'], message: string, column?: string): DataProblem | undefined {
    if (!this.count) return undefined;
    return { kind, message, ...(column === undefined ? {} : { column }), count: this.count, examples: this.examples };
  }
}

export function clip(text: string): string {
  return text.length > MAX_EXAMPLE_CHARS ? `${text.slice(0, MAX_EXAMPLE_CHARS - 1)}…` : text;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

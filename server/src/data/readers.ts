import type { DataProblem, ReadOptions } from './table';
import { dayParser, type DayParser } from './timeValues';
import { numberFormat, type NumberFormat } from './values';
import { ZoneClock } from './zone';

/** The value readers of a source's options, and the problems with those options. */
export interface Readers {
  clock: ZoneClock;
  nf: NumberFormat;
  /** For the time column: timeFormat, else ISO. */
  timeParse: DayParser;
  /** For other date columns: timeFormat when given, with ISO as the fallback. */
  dateParse: DayParser;
  problems: DataProblem[];
}

export function readers(options: ReadOptions, rowCount: number): Readers {
  const clock = new ZoneClock(options.timezone);
  const iso = dayParser(undefined, clock) as DayParser;
  const custom = dayParser(options.timeFormat, clock);
  const problems: DataProblem[] = [];
  if ('error' in custom) {
    problems.push({ kind: 'bad-time', message: `time format \`${options.timeFormat}\` cannot be used: ${custom.error}`, column: options.timeColumn, count: rowCount, examples: [] });
    return { clock, nf: numberFormat(options), timeParse: () => NaN, dateParse: iso, problems };
  }
  const dateParse: DayParser = !options.timeFormat ? iso : (b, s, e) => {
    const v = custom(b, s, e);
    return v === v ? v : iso(b, s, e);
  };
  return { clock, nf: numberFormat(options), timeParse: custom, dateParse, problems };
}


/** Said once the values are read: a time zone the clock did not know (offsets were read as UTC). */
export function zoneProblems(rd: Readers, timezone: string): DataProblem[] {
  return rd.clock.invalid ? [{ kind: 'bad-time', message: `time zone \`${timezone}\` is unknown; timestamps with an offset were read as UTC`, count: 1, examples: [] }] : [];
}

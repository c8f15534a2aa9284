import * as bytesModule from './bytes';
import type { Clock } from './zone';

// Bound once: imported bindings are property loads per use once compiled to CommonJS (tests).
const { trimEnd, trimStart } = bytesModule;

/**
 * Dates and timestamps → local day numbers (days since 1970-01-01 in the local calendar),
 * parsed straight from UTF-8 bytes. Values without an offset are local already and only
 * their date counts; values with `Z` or `±HH:MM` are instants, moved into the zone first.
 */

export type DayParser = (buf: Uint8Array, start: number, end: number) => number;

const DAY = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Fields of one parsed value; reused, since parsers run a million times. */
const f = { y: 0, mo: 1, d: 1, h: 0, mi: 0, s: 0, ms: 0, off: NaN };

function reset(): void {
  f.y = 0; f.mo = 1; f.d = 1; f.h = 0; f.mi = 0; f.s = 0; f.ms = 0; f.off = NaN;
}

/** The local day of the fields in `f`, or NaN when they are out of range. */
function toDay(clock: Clock): number {
  if (f.mo < 1 || f.mo > 12 || f.d < 1 || f.d > daysInMonth(f.y, f.mo) || f.h > 23 || f.mi > 59 || f.s > 59) return NaN;
  const days = daysFromCivil(f.y, f.mo, f.d);
  if (Number.isNaN(f.off)) return days;
  const utc = days * DAY + ((f.h * 60 + f.mi - f.off) * 60 + f.s) * 1000 + f.ms;
  return Math.floor(clock.localMs(utc) / DAY);
}

/** Digits at [i, i+n) as a number, or -1. */
function digits(buf: Uint8Array, i: number, n: number, e: number): number {
  if (i + n > e) return -1;
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = buf[k]! - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Fraction digits from i; sets f.ms; returns the end, or -1 when there is no digit. */
function fraction(buf: Uint8Array, i: number, e: number): number {
  let k = i;
  let scale = 100;
  let ms = 0;
  for (let c: number; k < e && (c = buf[k]! - 48) >= 0 && c <= 9; k++, scale /= 10) ms += c * scale;
  f.ms = Math.floor(ms);
  return k === i ? -1 : k;
}

/** `Z`, `±HH:MM`, `±HHMM` or `±HH` from i into f.off (minutes east); returns the end, or -1. */
function offset(buf: Uint8Array, i: number, e: number, bareHours: boolean): number {
  const c = buf[i];
  if (c === 90) { f.off = 0; return i + 1; }
  if (c !== 43 && c !== 45) return -1;
  const hh = digits(buf, i + 1, 2, e);
  if (hh < 0 || hh > 23) return -1;
  let k = i + 3;
  if (k < e && buf[k] === 58) k++;
  let mm = digits(buf, k, 2, e);
  if (mm < 0) {
    if (!bareHours || k !== i + 3) return -1;
    mm = 0;
  } else k += 2;
  if (mm > 59) return -1;
  f.off = (c === 45 ? -1 : 1) * (hh * 60 + mm);
  return k;
}

/** ISO 8601 as the checker reads it: `YYYY-MM`, `YYYY-MM-DD`, then `[T ]HH:mm[:ss[.fff]][Z|±HH:MM]`. */
function parseIso(buf: Uint8Array, s: number, e: number, clock: Clock): number {
  s = trimStart(buf, s, e);
  e = trimEnd(buf, s, e);
  reset();
  if ((f.y = digits(buf, s, 4, e)) < 0 || buf[s + 4] !== 45 || (f.mo = digits(buf, s + 5, 2, e)) < 0) return NaN;
  if (e === s + 7) return toDay(clock);
  if (buf[s + 7] !== 45 || (f.d = digits(buf, s + 8, 2, e)) < 0) return NaN;
  if (e === s + 10) return toDay(clock);
  const t = buf[s + 10];
  if ((t !== 84 && t !== 32) || (f.h = digits(buf, s + 11, 2, e)) < 0 || buf[s + 13] !== 58 || (f.mi = digits(buf, s + 14, 2, e)) < 0) return NaN;
  let p = s + 16;
  if (p < e && buf[p] === 58) {
    if ((f.s = digits(buf, p + 1, 2, e)) < 0) return NaN;
    p += 3;
    if (p < e && buf[p] === 46 && (p = fraction(buf, p + 1, e)) < 0) return NaN;
  }
  if (p < e && (p = offset(buf, p, e, false)) < 0) return NaN;
  return p === e ? toDay(clock) : NaN;
}

const ISO_SHAPE = /^\d{4}-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?$/;
const NO_ZONE: Clock = { localMs: (ms) => ms };

/** Whether text is an ISO date or date-time with valid fields (the `date` class of inference). */
export function isIsoDateText(text: string): boolean {
  if (!ISO_SHAPE.test(text)) return false;
  const bytes = Buffer.from(text, 'latin1');
  return !Number.isNaN(parseIso(bytes, 0, bytes.length, NO_ZONE));
}

// ---- timeFormat patterns ----------------------------------------------------------------------

const Step = { Lit: 0, Year: 1, Month: 2, Day: 3, Hour: 4, Minute: 5, Second: 6, Fraction: 7, Zone: 8 } as const;
type Step = (typeof Step)[keyof typeof Step];
interface FormatStep { step: Step; width: number; byte: number }

const TOKENS: Record<string, [Step, number]> = {
  YYYY: [Step.Year, 4], MM: [Step.Month, 2], M: [Step.Month, 0], DD: [Step.Day, 2], D: [Step.Day, 0],
  HH: [Step.Hour, 2], H: [Step.Hour, 0], mm: [Step.Minute, 2], ss: [Step.Second, 2], Z: [Step.Zone, 0], ZZ: [Step.Zone, 0],
};

/**
 * Compiles a pattern like `DD/MM/YYYY` or `YYYY-MM-DD HH:mm:ss`. Tokens: YYYY, MM/M, DD/D,
 * HH/H, mm, ss, S… (fraction), Z (offset); any other non-letter, `T`, and non-ASCII text
 * (`YYYY年MM月DD日`) must appear as written. Width 0 means one or two digits.
 */
function compile(pattern: string): FormatStep[] | string {
  const steps: FormatStep[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    let j = i + 1;
    while (j < pattern.length && pattern[j] === c) j++;
    const run = pattern.slice(i, j);
    if (/^S+$/.test(run)) steps.push({ step: Step.Fraction, width: 0, byte: 0 });
    else if (TOKENS[run]) steps.push({ step: TOKENS[run]![0], width: TOKENS[run]![1], byte: 0 });
    else if (/[A-Za-z]/.test(c) && c !== 'T') return `\`${run}\` is not a supported part of a time format (use YYYY, MM, DD, HH, mm, ss, SSS, Z)`;
    else {
      for (const b of Buffer.from(run, 'utf8')) steps.push({ step: Step.Lit, width: 0, byte: b });
    }
    i = j;
  }
  if (!steps.some((s) => s.step === Step.Year)) return 'a time format needs a year (`YYYY`)';
  return steps;
}

function parsePattern(steps: FormatStep[], buf: Uint8Array, s: number, e: number, clock: Clock): number {
  s = trimStart(buf, s, e);
  e = trimEnd(buf, s, e);
  reset();
  let p = s;
  for (const st of steps) {
    if (st.step === Step.Lit) {
      if (p >= e || buf[p] !== st.byte) return NaN;
      p++;
      continue;
    }
    if (st.step === Step.Fraction) {
      if ((p = fraction(buf, p, e)) < 0) return NaN;
      continue;
    }
    if (st.step === Step.Zone) {
      if ((p = offset(buf, p, e, true)) < 0) return NaN;
      continue;
    }
    let v: number;
    if (st.width) {
      if ((v = digits(buf, p, st.width, e)) < 0) return NaN;
      p += st.width;
    } else {
      if ((v = digits(buf, p, 1, e)) < 0) return NaN;
      p++;
      const two = digits(buf, p, 1, e);
      if (two >= 0) { v = v * 10 + two; p++; }
    }
    switch (st.step) {
      case Step.Year: f.y = v; break;
      case Step.Month: f.mo = v; break;
      case Step.Day: f.d = v; break;
      case Step.Hour: f.h = v; break;
      case Step.Minute: f.mi = v; break;
      case Step.Second: f.s = v; break;
    }
  }
  return p === e ? toDay(clock) : NaN;
}

/** A parser for `format` (ISO 8601 when undefined), or a message saying why the format is unusable. */
export function dayParser(format: string | undefined, clock: Clock): DayParser | { error: string } {
  if (format === undefined || format === '' || /^ISO( ?8601)?$/i.test(format)) return (buf, s, e) => parseIso(buf, s, e, clock);
  const steps = compile(format);
  if (typeof steps === 'string') return { error: steps };
  return (buf, s, e) => parsePattern(steps, buf, s, e, clock);
}

/** Day parser over a JS string (JSON values, inline rows). */
export function dayOfText(parse: DayParser, text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  return parse(bytes, 0, bytes.length);
}

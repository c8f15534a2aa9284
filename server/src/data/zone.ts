const DAY = 86_400_000;
const MINUTE = 60_000;

/**
 * UTC instants → wall-clock milliseconds in an IANA zone. Intl is slow (microseconds a call),
 * so offsets are learned per UTC day: the offset at each day's start, and when the next day
 * starts with another offset, the transition minute found by bisection. A year of timestamps
 * costs a few hundred Intl calls however many rows there are.
 */
export interface Clock {
  localMs(utc: number): number;
}

export class ZoneClock implements Clock {
  /** Set when the zone name is unknown to Intl; offsets are then 0 (UTC). */
  invalid = false;
  private format: Intl.DateTimeFormat | undefined;
  private readonly dayStarts = new Map<number, number>();
  private day = NaN;
  private before = 0;
  private switchAt = Infinity;
  private after = 0;

  constructor(readonly zone: string) {}

  localMs(utc: number): number {
    const day = Math.floor(utc / DAY);
    if (day !== this.day) this.load(day);
    return utc + (utc < this.switchAt ? this.before : this.after);
  }

  private load(day: number): void {
    const start = day * DAY;
    this.day = day;
    this.before = this.startOffset(day);
    this.after = this.startOffset(day + 1);
    this.switchAt = Infinity;
    if (this.before === this.after) return;
    // Bisect for the first minute with the new offset; zones switch at most once a day.
    let lo = start;
    let hi = start + DAY;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (this.offsetAt(mid) === this.before) lo = mid;
      else hi = mid;
    }
    this.switchAt = hi;
  }

  private startOffset(day: number): number {
    let off = this.dayStarts.get(day);
    if (off === undefined) this.dayStarts.set(day, (off = this.offsetAt(day * DAY)));
    return off;
  }

  /** Offset in ms at a whole-second instant: the zone's wall clock read as UTC, minus the instant. */
  private offsetAt(ms: number): number {
    const format = this.formatter();
    if (!format) return 0;
    let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    for (const p of format.formatToParts(ms)) {
      switch (p.type) {
        case 'year': y = +p.value; break;
        case 'month': mo = +p.value; break;
        case 'day': d = +p.value; break;
        case 'hour': h = +p.value; break;
        case 'minute': mi = +p.value; break;
        case 'second': s = +p.value; break;
      }
    }
    const wall = Date.UTC(y, mo - 1, d, h, mi, s);
    // Date.UTC maps years 0–99 to 1900–1999; fix them up for far-past instants.
    const fixed = y >= 0 && y < 100 ? new Date(wall).setUTCFullYear(y) : wall;
    return fixed - (ms - (((ms % 1000) + 1000) % 1000));
  }

  private formatter(): Intl.DateTimeFormat | undefined {
    if (this.format || this.invalid) return this.format;
    if (this.zone === 'UTC' || this.zone === 'Etc/UTC') return undefined;
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone: this.zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      this.invalid = true;
    }
    return this.format;
  }
}

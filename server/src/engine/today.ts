import { ZoneClock } from '../data/zone';

const DAY_MS = 86_400_000;

/**
 * Today as a local day number in a time zone: `given` (`YYYY-MM-DD`, e.g. `kpispec eval --today`)
 * when set, else the clock. Undefined when `given` is no calendar day.
 */
export function todayIn(timezone: string, given?: string, now = Date.now()): number | undefined {
  if (given !== undefined) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(given);
    if (!m) return undefined;
    const day = Math.floor(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) / DAY_MS);
    const back = new Date(day * DAY_MS);
    return back.getUTCMonth() + 1 === +m[2]! && back.getUTCDate() === +m[3]! ? day : undefined;
  }
  return Math.floor(new ZoneClock(timezone).localMs(now) / DAY_MS);
}

import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { tableFromText } from '../../server/src/data/readTable';
import { dayOfText, dayParser, daysFromCivil, type DayParser } from '../../server/src/data/timeValues';
import { ZoneClock } from '../../server/src/data/zone';
import { dayText, times } from './cells';

const DAY = 86_400_000;

/** The local date of an instant, straight from Intl: the slow truth the cached clock must match. */
function intlDate(ms: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function parser(format: string | undefined, zone = 'UTC'): DayParser {
  const p = dayParser(format, new ZoneClock(zone));
  if ('error' in p) throw new Error(p.error);
  return p;
}

const day = (p: DayParser, text: string) => dayText(dayOfText(p, text));

describe('data: time values', () => {
  it('the cached zone clock agrees with Intl at every instant, across DST and odd offsets', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'UTC'];
    const clocks = new Map(zones.map((z) => [z, new ZoneClock(z)]));
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }), (zone, ms) => {
        assert.equal(dayText(Math.floor(clocks.get(zone)!.localMs(ms) / DAY)), intlDate(ms, zone));
      }),
      { numRuns: 3000 },
    );
    // Minutes around real transitions, where a per-hour or per-day cache would go wrong.
    const edges: [string, number][] = [
      ['America/New_York', Date.UTC(2026, 2, 8, 7, 0)], // 02:00 EST → EDT
      ['America/New_York', Date.UTC(2026, 10, 1, 6, 0)], // 02:00 EDT → EST
      ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 15, 0)], // +11 → +10:30
      ['Pacific/Chatham', Date.UTC(2026, 3, 4, 14, 0)],
    ];
    for (const [zone, at] of edges) {
      const clock = new ZoneClock(zone);
      for (let ms = at - 3 * 3_600_000; ms <= at + 3 * 3_600_000; ms += 60_000) {
        assert.equal(dayText(Math.floor(clock.localMs(ms) / DAY)), intlDate(ms, zone), `${zone} ${new Date(ms).toISOString()}`);
      }
    }
  });

  it('a year of timestamps costs a few hundred Intl calls, not one per row', () => {
    const original = Intl.DateTimeFormat.prototype.formatToParts;
    let calls = 0;
    Intl.DateTimeFormat.prototype.formatToParts = function (this: Intl.DateTimeFormat, d?: Date | number) {
      calls++;
      return original.call(this, d);
    };
    try {
      const lines = ['ts,v'];
      for (let i = 0; i < 100_000; i++) lines.push(`${new Date(Date.UTC(2026, 0, 1) + i * 315_000).toISOString()},1`);
      const { table } = tableFromText(lines.join('\n'), 'x.csv', { format: 'csv', timezone: 'America/New_York', timeColumn: 'ts' });
      assert.equal(table!.rowCount, 100_000);
      assert.ok(calls < 800, `${calls} Intl calls`);
    } finally {
      Intl.DateTimeFormat.prototype.formatToParts = original;
    }
  });

  it('reads ISO dates, months and date-times, with and without offsets', () => {
    const p = parser(undefined, 'Asia/Shanghai');
    assert.equal(day(p, '2026-01-31'), '2026-01-31');
    assert.equal(day(p, ' 2026-01-31 '), '2026-01-31');
    assert.equal(day(p, '2026-03'), '2026-03-01');
    assert.equal(day(p, '2026-01-31T20:00:00Z'), '2026-02-01');
    assert.equal(day(p, '2026-01-31T20:00:00.999Z'), '2026-02-01');
    assert.equal(day(p, '2026-01-31 20:00'), '2026-01-31');
    assert.equal(day(p, '2026-01-31T20:00:00+0530'), '2026-01-31');
    assert.equal(day(p, '2026-01-31T15:59:59-01:00'), '2026-02-01');
    for (const bad of ['2026-02-30', '2026-13-01', '2026-1-5', '2026-01-31T25:00', '2026-01-31T10:00:00+08', '31/01/2026', '2026-01-31x', '']) {
      assert.equal(day(p, bad), null, bad);
    }
  });

  it('reads timeFormat patterns: day-first, month-first, compact, single digits, literals, offsets', () => {
    assert.equal(day(parser('DD/MM/YYYY'), '05/01/2026'), '2026-01-05');
    assert.equal(day(parser('MM/DD/YYYY'), '05/01/2026'), '2026-05-01');
    assert.equal(day(parser('D/M/YYYY'), '5/1/2026'), '2026-01-05');
    assert.equal(day(parser('D/M/YYYY'), '15/11/2026'), '2026-11-15');
    assert.equal(day(parser('YYYYMMDD'), '20260105'), '2026-01-05');
    assert.equal(day(parser('YYYY年MM月DD日'), '2026年01月05日'), '2026-01-05');
    assert.equal(day(parser('YYYY-MM-DDTHH:mm:ssZ', 'Asia/Shanghai'), '2026-01-31T20:00:00Z'), '2026-02-01');
    assert.equal(day(parser('YYYY-MM-DD HH:mm:ss.SSS'), '2026-01-31 23:59:59.5'), '2026-01-31');
    assert.equal(day(parser('DD.MM.YYYY HH:mm'), '31.01.2026 24:00'), null);
    assert.equal(day(parser('DD/MM/YYYY'), '2026-01-05'), null, 'a pattern is strict');
    assert.equal(daysFromCivil(1970, 1, 1), 0);
    assert.equal(daysFromCivil(2000, 3, 1), 11017);
    assert.equal(daysFromCivil(1969, 12, 31), -1);
  });

  it('reports an unusable timeFormat and an unknown zone as problems', () => {
    const csv = 'day,v\n05/01/2026,1\n2026-01-31T20:00:00Z,2\n';
    const badFormat = tableFromText(csv, 'x.csv', { format: 'csv', timezone: 'UTC', timeColumn: 'day', timeFormat: 'DD MMM YYYY' });
    assert.equal(badFormat.problems[0]!.kind, 'bad-time');
    assert.match(badFormat.problems[0]!.message, /MMM/);
    assert.deepEqual(times(badFormat.table), [null, null]);
    const badZone = tableFromText(csv, 'x.csv', { format: 'csv', timezone: 'Mars/Olympus', timeColumn: 'day' });
    assert.deepEqual(badZone.problems.map((p) => p.kind), ['bad-time', 'bad-time']);
    assert.match(badZone.problems[1]!.message, /Mars\/Olympus/);
    assert.deepEqual(times(badZone.table), [null, '2026-01-31']);
  });

  it('pins win for the time column; its days still come from the time format', () => {
    const csv = 'day,v\n05/01/2026,1\n06/01/2026,2\n';
    const { table, problems } = tableFromText(csv, 'x.csv', { format: 'csv', timezone: 'UTC', timeColumn: 'day', timeFormat: 'DD/MM/YYYY', pinned: { day: 'string' } });
    assert.deepEqual(problems, []);
    assert.equal(table!.columns.get('day')!.type, 'string');
    assert.deepEqual(times(table), ['2026-01-05', '2026-01-06']);
  });

  it('many distinct timestamps and few distinct dates read the same (ranges and dictionary paths)', () => {
    const distinct = ['ts'];
    const repeated = ['ts'];
    for (let i = 0; i < 3000; i++) {
      distinct.push(new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString());
      repeated.push(`2026-01-0${1 + (i % 9)}`);
    }
    const a = tableFromText(distinct.join('\n'), 'x.csv', { format: 'csv', timezone: 'Asia/Shanghai', timeColumn: 'ts' });
    assert.deepEqual(a.problems, []);
    assert.equal(times(a.table)[0], '2026-01-01');
    assert.equal(times(a.table)[16], '2026-01-02', '16:00Z is midnight in Shanghai');
    const b = tableFromText(repeated.join('\n'), 'x.csv', { format: 'csv', timezone: 'UTC' });
    assert.equal(b.table!.columns.get('ts')!.type, 'date', 'inferred');
    assert.deepEqual(times({ ...b.table!, time: (b.table!.columns.get('ts') as { days: Float64Array }).days }).slice(0, 3), ['2026-01-01', '2026-01-02', '2026-01-03']);
  });
});

import * as assert from 'node:assert/strict';
import { formatBound, formatChange, formatCount, formatDay, formatValue } from '../../server/src/engine/format';
import { percentText } from '../../server/src/engine/goalFormat';

/**
 * Values in a locale. Every expectation is written out by hand from the locale's conventions
 * (CLDR): the grouping and decimal marks, where the currency sign and the percent sign go, and
 * for Chinese the units 万 (10^4) and 亿 (10^8) with two decimals from one 万 on.
 */

const NUMBER = { format: 'number' as const };
const PERCENT = { format: 'percent' as const };
const CNY = { format: 'currency' as const, currency: 'CNY' };
const EUR = { format: 'currency' as const, currency: 'EUR' };
const USD = { format: 'currency' as const, currency: 'USD' };

const NBSP = '\u00a0'; // no-break space: before `%` and `€` in de-DE and fr-FR
const NNBSP = '\u202f'; // narrow no-break space: between fr-FR digit groups

describe('engine: values in a locale', () => {
  it('keeps the built-in format without a locale (the output before locales existed)', () => {
    assert.equal(formatValue(1234.5, NUMBER), '1,234.5');
    assert.equal(formatValue(12345, NUMBER), '12,345');
    assert.equal(formatValue(2.5e8, NUMBER), '250,000,000');
    assert.equal(formatValue(1234567, CNY), '¥1,234,567.00');
    assert.equal(formatValue(-1234567, CNY), '-¥1,234,567.00');
    assert.equal(formatValue(0.237, PERCENT), '23.70%');
    assert.equal(formatValue(125, { format: 'duration' }), '2m 05s');
    assert.equal(formatChange(0.012, 0.05, PERCENT), '+1.2 pp');
    assert.equal(formatChange(-300, -0.034, NUMBER), '−3.4%');
    assert.equal(formatBound({ min: 110000 }, CNY), '≥ ¥110,000.00');
    assert.equal(formatCount(5120), '5,120');
    assert.equal(formatDay('2026-10-31'), '2026-10-31');
    assert.equal(percentText(0.38), '38%');
  });

  it('writes en-US as the built-in format does, and its dates as Oct 31, 2026', () => {
    assert.equal(formatValue(1234.5, NUMBER, 'en-US'), '1,234.5');
    assert.equal(formatValue(2.5e8, NUMBER, 'en-US'), '250,000,000', 'no compact units outside myriad languages');
    assert.equal(formatValue(-1234.5, USD, 'en-US'), '-$1,234.50');
    assert.equal(formatValue(0.237, PERCENT, 'en-US'), '23.70%');
    assert.equal(formatDay('2026-10-31', 'en-US'), 'Oct 31, 2026');
  });

  it('writes de-DE with a decimal comma, dot groups and the sign after a space', () => {
    assert.equal(formatValue(1234.5, NUMBER, 'de-DE'), '1.234,5');
    assert.equal(formatValue(1234567, NUMBER, 'de-DE'), '1.234.567');
    assert.equal(formatValue(-1234.5, EUR, 'de-DE'), `-1.234,50${NBSP}€`);
    assert.equal(formatValue(0.237, PERCENT, 'de-DE'), `23,70${NBSP}%`);
    assert.equal(formatChange(0.012, 0.05, PERCENT, 'de-DE'), '+1,2 pp');
    assert.equal(formatChange(-300, -0.034, NUMBER, 'de-DE'), `−3,4${NBSP}%`);
    assert.equal(formatBound({ min: 0.02, max: 0.03 }, PERCENT, 'de-DE'), `2,00${NBSP}% – 3,00${NBSP}%`);
    assert.equal(formatCount(5120, 'de-DE'), '5.120');
    assert.equal(percentText(0.38, 'de-DE'), `38${NBSP}%`);
    assert.equal(formatDay('2026-10-31', 'de-DE'), '31.10.2026');
  });

  it('writes fr-FR digit groups with a narrow no-break space (U+202F), and `%` and `€` after a no-break space (U+00A0)', () => {
    const text = formatValue(1234.5, NUMBER, 'fr-FR');
    assert.equal(text, `1${NNBSP}234,5`);
    assert.equal(text.codePointAt(1), 0x202f);
    assert.equal(formatValue(0.237, PERCENT, 'fr-FR'), `23,70${NBSP}%`);
    assert.equal(formatValue(1234567.891, EUR, 'fr-FR'), `1${NNBSP}234${NNBSP}567,89${NBSP}€`);
  });

  it('writes zh-CN below one 万 in full, from 10,000 in 万 and from 10^8 in 亿, with two decimals', () => {
    assert.equal(formatValue(9999, NUMBER, 'zh-CN'), '9,999');
    assert.equal(formatValue(10000, NUMBER, 'zh-CN'), '1.00万');
    assert.equal(formatValue(12345, NUMBER, 'zh-CN'), '1.23万'); // 12,345 / 10^4 = 1.2345
    assert.equal(formatValue(1234567, NUMBER, 'zh-CN'), '123.46万'); // 123.4567 rounds up
    assert.equal(formatValue(99_994_999, NUMBER, 'zh-CN'), '9999.50万'); // 9,999.4999 → 9,999.50
    assert.equal(formatValue(99_999_999, NUMBER, 'zh-CN'), '1.00亿'); // 9,999.9999万 rounds to a whole 亿
    assert.equal(formatValue(2.5e8, NUMBER, 'zh-CN'), '2.50亿');
    assert.equal(formatValue(1.5e12, NUMBER, 'zh-CN'), '1.50万亿'); // 15,000 亿
  });

  it('decides on 万 after rounding to the shown decimals: 9,999.996 shows as 1.00万, not 10,000.00', () => {
    assert.equal(formatValue(9999.996, { format: 'number', decimals: 2 }, 'zh-CN'), '1.00万');
    assert.equal(formatValue(9999.994, { format: 'number', decimals: 2 }, 'zh-CN'), '9,999.99');
  });

  it('writes zh-CN money in CNY, negatives and percents (never in 万)', () => {
    assert.equal(formatValue(1234.5, CNY, 'zh-CN'), '¥1,234.50');
    assert.equal(formatValue(1234567, CNY, 'zh-CN'), '¥123.46万');
    assert.equal(formatValue(-1234567, CNY, 'zh-CN'), '-¥123.46万');
    assert.equal(formatValue(-2.5e8, NUMBER, 'zh-CN'), '-2.50亿');
    assert.equal(formatValue(-0.0512, PERCENT, 'zh-CN'), '-5.12%');
    assert.equal(formatValue(1234.56, PERCENT, 'zh-CN'), '123,456.00%');
    assert.equal(formatBound({ min: 110000 }, CNY, 'zh-CN'), '≥ ¥11.00万');
    assert.equal(formatChange(-25000, null, CNY, 'zh-CN'), '−¥2.50万');
    assert.equal(formatCount(123456, 'zh-CN'), '123,456', 'a count of rows stays exact');
    assert.equal(formatDay('2026-10-31', 'zh-CN'), '2026年10月31日');
  });

  it('writes the traditional units for zh-TW, 万/億 for ja-JP, 만 for ko-KR, and none where 10,000 has no unit (zh-HK, hi-IN)', () => {
    assert.equal(formatValue(1234567, NUMBER, 'zh-TW'), '123.46萬');
    assert.equal(formatValue(2.5e8, NUMBER, 'zh-TW'), '2.50億');
    assert.equal(formatValue(1234567, NUMBER, 'ja-JP'), '123.46万');
    assert.equal(formatValue(2.5e8, NUMBER, 'ja-JP'), '2.50億');
    assert.equal(formatValue(1234567, NUMBER, 'ko-KR'), '123.46만');
    assert.equal(formatValue(1234567, NUMBER, 'zh-HK'), '1,234,567', 'Hong Kong writes 10K, not a myriad unit');
    assert.equal(formatValue(1234567, NUMBER, 'hi-IN'), '12,34,567', 'Indian grouping, no compact units');
  });

  it('keeps durations as 2m 05s in every locale', () => {
    assert.equal(formatValue(125, { format: 'duration' }, 'zh-CN'), '2m 05s');
    assert.equal(formatValue(3725, { format: 'duration' }, 'de-DE'), '1h 02m');
  });

  it('falls back to the built-in format for a tag Intl cannot use, without throwing', () => {
    assert.equal(formatValue(1234.5, NUMBER, 'zh_CN'), '1,234.5');
    assert.equal(formatValue(1234567, CNY, 'not a tag'), '¥1,234,567.00');
    assert.equal(formatValue(1234.5, { format: 'currency', currency: 'yuan' }, 'de-DE'), 'yuan 1,234.50', 'not a currency code: the built-in format as a whole');
    assert.equal(formatDay('2026-10-31', 'zh_CN'), '2026-10-31');
    assert.equal(formatDay('2026-Q4', 'de-DE'), '2026-Q4', 'a period is not a day');
  });
});

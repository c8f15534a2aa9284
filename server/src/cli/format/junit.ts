import type { Formatter } from '../report';
import { locateAll, relPath } from './locate';

/** Characters XML 1.0 forbids even as references: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF. */
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/**
 * Escapes an attribute value or (attribute = false) element text. Parsers turn a raw CR into LF
 * everywhere, and tab/LF into spaces inside attributes, so those become character references.
 */
export function escapeXml(s: string, attribute = true): string {
  return s.replace(INVALID_XML, '').replace(attribute ? /[&<>"'\t\n\r]/g : /[&<>"'\r]/g, (c) => ESCAPES[c]!);
}

/**
 * `--format junit`:
 * <testsuites name="kpispec VERSION" tests=N failures=F errors="0">
 *   <testsuite name=REL tests failures errors="0"> per checked file, sorted by path, holding
 *     <testcase classname=RULE name="LINE:COL MESSAGE"> per problem, with
 *       <failure message=MESSAGE type=SEVERITY>REL:LINE:COL MESSAGE (+ related lines)</failure>
 *     for errors and warnings only (infos and hints pass), or for a clean file one passing
 *     <testcase classname="kpispec" name="no problems"/>.
 */
export const junit: Formatter = (reports, options) => {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const f of locateAll(reports, options.cwd)) {
    const cases: string[] = [];
    let suiteFailures = 0;
    for (const { problem: p, range: r, related } of f.problems) {
      const name = escapeXml(`${r.line}:${r.column} ${p.message}`);
      if (p.severity === 'error' || p.severity === 'warning') {
        suiteFailures++;
        const body = [`${f.rel}:${r.line}:${r.column} ${p.message}`, ...related.map((x) => `  ↳ ${relPath(x.file, options.cwd)}:${x.range.line}:${x.range.column} ${x.message}`)].join('\n');
        cases.push(
          `    <testcase classname="${escapeXml(p.rule)}" name="${name}">\n` +
            `      <failure message="${escapeXml(p.message)}" type="${p.severity}">${escapeXml(body, false)}</failure>\n` +
            `    </testcase>`,
        );
      } else {
        cases.push(`    <testcase classname="${escapeXml(p.rule)}" name="${name}"/>`);
      }
    }
    if (cases.length === 0) cases.push(`    <testcase classname="kpispec" name="no problems"/>`);
    tests += cases.length;
    failures += suiteFailures;
    suites.push(
      `  <testsuite name="${escapeXml(f.rel)}" tests="${cases.length}" failures="${suiteFailures}" errors="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${escapeXml(`kpispec ${options.version}`)}" tests="${tests}" failures="${failures}" errors="0">\n` +
    suites.map((s) => s + '\n').join('') +
    `</testsuites>\n`
  );
};

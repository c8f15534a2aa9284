import * as assert from 'node:assert/strict';
import { escapeXml, junit } from '../../../server/src/cli/format/junit';
import { A, options, reports } from './fixtures';

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, e: string) => (e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ENTITIES[e]!));

/**
 * A minimal XML 1.0 well-formedness check (no DTDs, CDATA or processing instructions besides the
 * declaration, which the formatter never writes): legal characters, known entities, quoted unique
 * attributes, balanced tags, one root. Returns the tree so tests can read values back.
 */
function parseXml(xml: string): XmlElement {
  assert.ok(!/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(xml), 'character not allowed in XML 1.0');
  const badRef = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i;
  const token = /<\?xml[^?]*\?>|<\/([A-Za-z_][\w.-]*)\s*>|<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)/y;
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  let i = 0;
  while (i < xml.length) {
    token.lastIndex = i;
    const m = token.exec(xml);
    assert.ok(m, `malformed XML at ${i}: ${JSON.stringify(xml.slice(i, i + 30))}`);
    i = token.lastIndex;
    const [all, close, open, attrs, selfClose, text] = m;
    const top = stack[stack.length - 1]!;
    if (all.startsWith('<?xml')) assert.equal(m.index, 0, 'declaration not at the start');
    else if (close) assert.equal(stack.pop()!.name, close, `mismatched </${close}>`);
    else if (open) {
      const el: XmlElement = { name: open, attrs: {}, children: [], text: '' };
      for (const [, k, v] of attrs!.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        assert.ok(!(k! in el.attrs), `duplicate attribute ${k}`);
        assert.ok(!badRef.test(v!), `bad reference in ${k}`);
        el.attrs[k!] = decode(v!);
      }
      assert.ok(top !== root || root.children.length === 0, 'more than one root element');
      top.children.push(el);
      if (!selfClose) stack.push(el);
    } else {
      assert.ok(!badRef.test(text!), 'bad reference in text');
      assert.ok(top !== root || !text!.trim(), 'text outside the root');
      assert.ok(!text!.includes(']]>'), ']]> in text');
      top.text += decode(text!);
    }
  }
  assert.equal(stack.length, 1, `unclosed <${stack[stack.length - 1]!.name}>`);
  assert.equal(root.children.length, 1, 'no root element');
  return root.children[0]!;
}

describe('format/junit', () => {
  it('writes one suite per file and one case per problem', () => {
    assert.equal(
      junit(reports(), options),
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="kpispec 0.1.0" tests="6" failures="3" errors="0">',
        '  <testsuite name="clean.kpi.yaml" tests="1" failures="0" errors="0">',
        '    <testcase classname="kpispec" name="no problems"/>',
        '  </testsuite>',
        '  <testsuite name="specs/a.kpi.yaml" tests="4" failures="2" errors="0">',
        '    <testcase classname="unsupported-version" name="1:1 Version 1 is current."/>',
        '    <testcase classname="unused-metric" name="3:9 Metric `conversion` is not used."/>',
        '    <testcase classname="unknown-reference" name="4:21 Unknown reference `revnue`; did you mean `revenue`?">',
        '      <failure message="Unknown reference `revnue`; did you mean `revenue`?" type="error">specs/a.kpi.yaml:4:21 Unknown reference `revnue`; did you mean `revenue`?</failure>',
        '    </testcase>',
        '    <testcase classname="format-mismatch" name="5:10 Format `percentage` does not fit a count.">',
        '      <failure message="Format `percentage` does not fit a count." type="warning">specs/a.kpi.yaml:5:10 Format `percentage` does not fit a count.</failure>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="specs/b.kpi.yaml" tests="1" failures="1" errors="0">',
        '    <testcase classname="circular-definition" name="4:14 KPI `x` is defined in terms of itself: x → y → x.">',
        '      <failure message="KPI `x` is defined in terms of itself: x → y → x." type="error">specs/b.kpi.yaml:4:14 KPI `x` is defined in terms of itself: x → y → x.',
        '  ↳ specs/b.kpi.yaml:6:14 y uses x',
        '  ↳ specs/a.kpi.yaml:3:9 see also</failure>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('is well-formed, with counts that match the cases', () => {
    const root = parseXml(junit(reports(), options));
    assert.equal(root.name, 'testsuites');
    const cases = root.children.flatMap((s) => s.children);
    assert.equal(Number(root.attrs.tests), cases.length);
    assert.equal(Number(root.attrs.failures), cases.filter((c) => c.children.some((x) => x.name === 'failure')).length);
    parseXml(junit([], options));
  });

  it('escapes markup and drops characters XML 1.0 forbids', () => {
    const message = `a & b <c> "d" 'e' \u0000\u0007\u001b\uD800\uFFFF 🚀 f\r\ng\th`;
    const text = 'x: 1\n';
    const xml = junit([{ file: A, text, problems: [{ rule: 'invalid-value', severity: 'error', message, file: A, span: { offset: 0, length: 1 } }] }], options);
    const failure = parseXml(xml).children[0]!.children[0]!.children[0]!;
    const kept = `a & b <c> "d" 'e'  🚀 f\r\ng\th`;
    assert.equal(failure.attrs.message, kept);
    assert.equal(failure.text, `specs/a.kpi.yaml:1:1 ${kept}`);
    assert.equal(escapeXml(`<&>"'\t\n\r`), '&lt;&amp;&gt;&quot;&apos;&#9;&#10;&#13;');
    assert.equal(escapeXml(`<&>"'\t\n\r`, false), '&lt;&amp;&gt;&quot;&apos;\t\n&#13;');
  });

  it('the checker rejects malformed XML', () => {
    for (const bad of ['<a><b></a>', '<a x="1" x="2"/>', '<a>&nbsp;</a>', '<a>\u0001</a>', '<a/><b/>', '<a>', '<a x=1/>']) {
      assert.throws(() => parseXml(bad), assert.AssertionError, bad);
    }
  });
});

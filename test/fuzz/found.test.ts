import * as assert from 'node:assert/strict';
import { CheckerRig, runCheckerCase } from './checkerCase';
import { corpus } from './corpus';

/** Texts the fuzz suite found faults in, shrunk: each is run through the whole case (check, evaluate, every feature). */
const FOUND: { what: string; text: string }[] = [
  { what: 'an object where a dimension is expected (ajv compared it with a prototype-less object)', text: 'sources:\n : {dimensions:[: ,:]}' },
  { what: 'an unclosed double quote with escapes in a where filter', text: 'metrics: d: where: "\\"\\f\\"\n ' },
  { what: 'an unclosed single quote at the end of a where filter', text: "metrics: c: where: '\nnt" },
  { what: 'an unclosed flow mapping before a CRLF (its span ended between the CR and the LF)', text: 'metrics: : {]\r\n' },
  { what: 'the same after a lone CR', text: 'kpis:\r: {]\r\n' },
];

describe('fuzz: texts it found faults in', () => {
  const rig = new CheckerRig();
  const base = corpus()[0]!;
  for (const { what, text } of FOUND) {
    it(what, () => {
      // Several seeds: each one probes other offsets and evaluates or not.
      for (let seed = 0; seed < 8; seed++) {
        const c = runCheckerCase(rig, base, seed, text);
        assert.deepEqual(c.faults, [], `seed ${seed}`);
      }
    });
  }
});

/**
 * The layout tree the formatter reads a spec into: block collections with their entries, the
 * comments and blank lines around each entry (trivia), and values as the text they are written
 * in. Emitting it (emit.ts) lays it out canonically; nothing here has a position but the
 * column an entry was written at, from which lines kept as written are shifted.
 */
import type { CST } from 'yaml';
import type { Role } from './order';

/** A line that is not content: blank, an own-line comment, or a marker line kept as written. */
export type Trivia =
  | { kind: 'blank' }
  | { kind: 'comment'; text: string; col: number }
  /** `---`, `...` and `%` directives: kept as written, at column 0. */
  | { kind: 'marker'; text: string };

export interface BlockMap {
  kind: 'map';
  entries: Entry[];
  /** Comments after the last entry that belong to this mapping (as deep as its entries). */
  tail: Trivia[];
  role: Role | undefined;
}

export interface BlockSeq {
  kind: 'seq';
  items: Item[];
  tail: Trivia[];
  role: Role | undefined;
}

/** One `key: value` of a block mapping. */
export interface Entry {
  lead: Trivia[];
  /** The key as written (a plain or quoted scalar on one line). */
  key: string;
  /** The key's text, for ordering; undefined when it is not text. */
  name: string | undefined;
  /** The column the key was written at: lines kept as written move by the change of it. */
  col: number;
  /** What follows `:` on the key line before the value: spaces, an anchor or a tag. */
  gap: string;
  value: Value;
  /** An end-of-line comment, with the spaces before it (`   # lower is better`); '' if none. */
  eol: string;
}

/** One `- value` of a block sequence. */
export interface Item {
  lead: Trivia[];
  col: number;
  gap: string;
  value: Value;
  eol: string;
}

export type Value =
  /** Nothing after `key:`: a null. */
  | { kind: 'empty' }
  /**
   * A scalar, an alias or a flow collection kept as written: the first line continues the key
   * line, the others are the original lines (moved with the entry's column).
   */
  | { kind: 'text'; lines: string[] }
  /** A flow collection on one line, rendered canonically (`{ a: 1 }`, `[a, b]`). */
  | { kind: 'flow'; flow: Flow }
  /** `|` or `>`: the header on the key line, then the content lines as written. */
  | { kind: 'block-scalar'; header: string; lines: string[]; indicator: boolean }
  | { kind: 'map'; map: BlockMap }
  | { kind: 'seq'; seq: BlockSeq }
  /** An entry the formatter does not take apart (anchored keys, `? ` keys): kept as written, moved. */
  | { kind: 'raw'; lines: string[] };

/** A flow collection on one line. */
export interface Flow {
  kind: 'flow-map' | 'flow-seq';
  items: FlowItem[];
  role: Role | undefined;
  /** Written over several lines (this collection or one inside it). */
  multiline: boolean;
}

export interface FlowItem {
  /** The key as written; undefined for a sequence item. */
  key?: string;
  name?: string;
  /** The value as it is written on one line; undefined for a key without a value (`{ a }`). */
  value?: string | Flow;
  /** The scalar the value was read from, to write it in block style. */
  token?: CST.FlowScalar;
}

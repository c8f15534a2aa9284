import type { Problem } from '../language/problem';

/** What `kpispec check` found in one file: the input of every output format. */
export interface FileReport {
  /** Absolute path. */
  file: string;
  /** The file's text, for line/column conversion and code frames (empty when unreadable). */
  text: string;
  problems: Problem[];
}

export interface FormatOptions {
  /** Paths are printed relative to this folder (and SARIF URIs are relative to it, as %SRCROOT%). */
  cwd: string;
  /** ANSI colours; true only when writing to a TTY. */
  color: boolean;
  /** The kpispec version, for SARIF's tool.driver.version and JUnit. */
  version: string;
}

/** An output format: reports in, the whole output text out. */
export type Formatter = (reports: FileReport[], options: FormatOptions) => string;

/** What a command needs from its process: output, working folder, terminal. Tests pass their own. */
export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  isTTY: boolean;
  version: string;
}

/** A mistake in how the command was called: exit 2 with a one-line message. */
export class UsageError extends Error {}

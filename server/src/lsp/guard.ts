import { ErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

/**
 * Failures stay where they happen: a request that fails is answered with an error, a
 * notification that fails is logged, and the server goes on serving everything else.
 */

export type Log = (message: string) => void;

/** A failure as the log shows it: with its stack when it has one. */
export function described(e: unknown): string {
  return e instanceof Error ? e.stack ?? `${e.name}: ${e.message}` : String(e);
}

/** A failure in one line, as an error answer or a diagnostic shows it. */
export function brief(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.split('\n')[0]!;
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/**
 * A request handler that answers whatever happens: a ResponseError (invalid params, cancelled)
 * is the answer; any other failure is logged with its stack and answered InternalError.
 */
export function guardRequest<P, R>(log: Log, method: string, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
  return async (params: P, token: CancellationToken): Promise<R | ResponseError<void>> => {
    try {
      return await handler(params, token);
    } catch (e) {
      if (e instanceof ResponseError) return e;
      log(`kpispec: ${method} failed: ${described(e)}`);
      return new ResponseError(ErrorCodes.InternalError, `kpispec could not answer ${method}: ${brief(e)}`);
    }
  };
}

/** A notification handler that never throws: malformed params and failures are logged. */
export function guardNotification<P>(log: Log, method: string, handler: (params: P) => void): (params: P) => void {
  return (params) => contain(log, method, () => handler(params));
}

/** Runs `work`, logging what it throws: for timers and callbacks, where nothing else would catch it. */
export function contain(log: Log, what: string, work: () => void): void {
  try {
    work();
  } catch (e) {
    log(e instanceof ResponseError ? `kpispec: ignored ${what}: ${e.message}` : `kpispec: ${what} failed: ${described(e)}`);
  }
}

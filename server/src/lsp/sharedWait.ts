import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

export function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'evaluation cancelled');
}

/** A computation several requests wait on; `waiters` counts those still waiting. */
export interface Shared<T> {
  result: Promise<T>;
  waiters: number;
}

/**
 * One more request waiting on `entry`: its result, or RequestCancelled as soon as `token` is
 * cancelled. When the last waiter leaves by cancelling, `abandoned` runs (it stops the
 * computation unless someone asked to keep it or it is done).
 */
export function waitShared<T>(entry: Shared<T>, token: CancellationToken, abandoned: () => void): Promise<T> {
  entry.waiters++;
  return new Promise((resolve, reject) => {
    let done = false;
    const leave = () => {
      if (done) return false;
      done = true;
      subscription.dispose();
      entry.waiters--;
      return true;
    };
    const subscription = token.onCancellationRequested(() => {
      if (!leave()) return;
      if (entry.waiters === 0) abandoned();
      reject(cancelled());
    });
    entry.result.then((r) => leave() && resolve(r), (e) => leave() && reject(e));
  });
}

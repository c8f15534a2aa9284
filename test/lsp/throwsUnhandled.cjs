// Preloaded into the language server by faults.test.ts (NODE_OPTIONS=--require): once the client
// has written, throws and rejects where no handler of the server can catch them.
const { isMainThread } = require('node:worker_threads');

if (isMainThread) {
  process.stdin.once('data', () => setImmediate(() => {
    void Promise.reject(new Error('a rejection nobody handles'));
    throw new Error('an exception nobody catches');
  }));
}

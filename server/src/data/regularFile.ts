import * as fs from 'node:fs';

/**
 * Why a path cannot be read as a file, or undefined when it is a regular file (symbolic links
 * followed). Asked before opening: opening a named pipe for reading waits for a writer, which
 * would block the command line and the language server forever.
 */
export function notAFile(path: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'the file does not exist' : `it cannot be read (${code ?? 'error'})`;
  }
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return 'it is a folder, not a file';
  if (stat.isFIFO()) return 'it is a named pipe (FIFO), not a regular file';
  if (stat.isSocket()) return 'it is a socket, not a regular file';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'it is a device, not a regular file';
  return 'it is not a regular file';
}

/**
 * Results arrive out of order when evaluations overlap: the host numbers each one, and a message
 * older than the newest seen must not replace what is shown (an older result never wins).
 */
export class Sequence {
  private newest = -Infinity;

  /** True if a message with this `seq` is current (equal counts: `busy` then `results` share one). */
  accept(seq: number): boolean {
    if (!Number.isFinite(seq) || seq < this.newest) return false;
    this.newest = seq;
    return true;
  }
}

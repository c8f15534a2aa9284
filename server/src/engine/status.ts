import type { TargetDef, TargetStep } from '../language/model';
import { periodStart } from '../language/period';
import type { Bound, Status } from './results';

/** The bound of a target or warn band in force on a day: the last dated step not after it. */
export function boundAt(band: TargetDef | undefined, day: number): Bound | undefined {
  if (!band) return undefined;
  let step: TargetStep | undefined;
  for (const s of band.steps) {
    const from = s.from ? periodStart(s.from.value) : -Infinity;
    if (from !== undefined && from <= day) step = s;
  }
  if (!step || (!step.min && !step.max)) return undefined;
  const b: Bound = {};
  if (step.min) b.min = step.min.value;
  if (step.max) b.max = step.max.value;
  return b;
}

function within(v: number, b: Bound): boolean {
  return (b.min === undefined || v >= b.min) && (b.max === undefined || v <= b.max);
}

/** met inside the target; at_risk outside it but inside the warn band; missed beyond both. */
export function statusOf(value: number | null, target: Bound | undefined, warn: Bound | undefined): Status {
  if (value === null) return 'no_data';
  if (!target) return 'no_target';
  if (within(value, target)) return 'met';
  if (warn && within(value, warn)) return 'at_risk';
  return 'missed';
}

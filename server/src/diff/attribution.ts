import { formatChange, formatValue } from '../engine/format';
import type { DataAccess } from '../engine/run';
import type { KpiResult } from '../engine/results';
import type { GroupMove, Impact } from './result';
import type { DiffSide } from './side';

/** Changes smaller than this share of the values are rounding, not a move. */
const SAME = 1e-9;
const MOVERS = 3;

/**
 * The before side's data files as the after side names them: a data path under the after
 * side's root is read at the same place under the before side's root, when it is there. With
 * it, the after side's definitions are evaluated on the data the before side saw: the change a
 * spec edit makes alone. A data file the before side lacks is read where it is (it comes with
 * the edit).
 */
export function beforeData(before: DiffSide, after: DiffSide, data: DataAccess): DataAccess {
  const prefix = after.root.endsWith('/') ? after.root : `${after.root}/`;
  return {
    memo: data.memo,
    file(path, options) {
      if (!path.startsWith(prefix)) return data.file(path, options);
      const same = `${before.root.replace(/\/$/, '')}/${path.slice(prefix.length)}`;
      return data.file(before.ws.host.realpath(same) !== undefined ? same : path, options);
    },
  };
}

/**
 * Splits a KPI's change into the spec edit's part and the data's (see Impact.split), and names
 * the groups the edit moves most (Impact.movers). `old` is the before side's result, `now` the
 * after side's, `same` the after side's definitions on the before side's data.
 */
export function attribute(impact: Impact, old: KpiResult, now: KpiResult, same: KpiResult, definitionChanged: boolean): void {
  const v0 = old.latest.value;
  const vx = same.latest.value;
  const v1 = now.latest.value;
  const data = vx !== null && v1 !== null ? v1 - vx : null;
  const moved = (a: number | null, b: number | null) => a !== b && (a === null || b === null || Math.abs(a - b) > SAME * Math.max(1, Math.abs(a), Math.abs(b)));
  if (same.latest.period !== now.latest.period || moved(vx, v1)) {
    const definition = v0 !== null && vx !== null ? vx - v0 : null;
    const change = (d: number | null, from: number | null) => formatChange(d, d !== null && from ? d / Math.abs(from) : null, same);
    impact.split = {
      definition, data,
      sameData: { ...(same.latest.period !== undefined ? { period: same.latest.period } : {}), value: vx, text: formatValue(vx, same), status: same.latest.status },
      text: `the spec edit ${change(definition, v0)} (${formatValue(vx, same)} on the same data), the data ${change(data, vx)}`,
    };
  }
  if (!definitionChanged || old.latest.period === undefined) return;
  const period = old.latest.period;
  const moves: (GroupMove & { size: number })[] = [];
  let unchanged = 0;
  for (const b of old.breakdowns) {
    const after = same.breakdowns.find((x) => x.dimension === b.dimension);
    if (!after) continue;
    const groups = new Set([...b.rows.map((r) => r.group), ...after.rows.map((r) => r.group)]);
    for (const g of groups) {
      const at = (rows: typeof b.rows) => rows.find((r) => r.group === g)?.series.find((p) => p.period === period)?.value ?? null;
      const x = at(b.rows);
      const y = at(after.rows);
      if (!moved(x, y)) {
        unchanged++;
        continue;
      }
      const change = x !== null && y !== null ? y - x : null;
      const ratio = change !== null && x ? change / Math.abs(x) : null;
      const text = `${formatValue(x, same)} → ${formatValue(y, same)}${change !== null ? ` (${formatChange(change, ratio, same)})` : ''}`;
      moves.push({ dimension: b.dimension, group: g, before: x, after: y, text, size: change === null ? Infinity : Math.abs(ratio ?? change) });
    }
  }
  if (!moves.length) return;
  moves.sort((a, b) => b.size - a.size);
  impact.movers = { groups: moves.slice(0, MOVERS).map(({ size: _size, ...m }) => m), unchanged };
}

/** A clean spec of `count` KPIs over as many metrics, with its data CSV, so every value computes. */
export const BIG_CSV = 'date,channel,device,sessions,bounces,orders,revenue\n' +
  Array.from({ length: 60 }, (_, i) => `2026-0${1 + (i % 6)}-${String((i % 28) + 1).padStart(2, '0')},${i % 2 ? 'email' : 'organic'},mobile,${100 + i},${30 + i},${5 + (i % 7)},${(500 + i * 3.5).toFixed(2)}`).join('\n') + '\n';

export function bigSpec(count: number): string {
  const cols = ['sessions', 'bounces', 'orders', 'revenue'];
  const lines = ['kpispec: 1', 'name: Fuzz', 'defaults: { grain: month, currency: CNY, timezone: Asia/Shanghai }', 'sources:',
    '  web: { file: web.csv, time: date, dimensions: [channel, device] }', 'metrics:'];
  for (let i = 0; i < count; i++) {
    const col = cols[i % cols.length]!;
    lines.push(`  m_${i}: { source: web, agg: sum, column: ${col}${col === 'revenue' ? ', unit: currency' : ''} }`);
  }
  lines.push('kpis:');
  for (let i = 0; i < count; i++) {
    // Ratios of like units (the metrics four apart share a column), a sum for the currency ones.
    const a = `m_${i}`;
    const b = `m_${(i + 4) % count}`;
    lines.push(`  kpi_${i}:`, `    title: KPI ${i} 转化率`, `    formula: (${a} - ${b}) / ${b}`, '    format: percent',
      `    direction: ${i % 2 ? 'up' : 'down'}`, `    target: { ${i % 2 ? 'min' : 'max'}: 10% }`, '    by: [channel]');
  }
  return lines.join('\n') + '\n';
}

/** The blank-first-line documents that once hung the server (completion at line 3, column 0). */
export const BLANK_DOCS = ['\nkpispec: 1\n\n', '\n\n\nkpispec: 1\nkpis:\n  \n', '\r\n\r\nkpispec: 1\r\n\r\n'];

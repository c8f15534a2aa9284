/**
 * A generated spec for tests of the incremental re-check: `n` KPIs over `n` metrics, with a few
 * problems of every kind the checks find (unknown ids, percent targets written as numbers,
 * breakdowns a source cannot give, a metric over inline rows, KPIs built on KPIs). Its data
 * file is WEB_CSV (test/helpers/memoryHost.ts) as `web.csv`.
 */
export function generated(n: number): string {
  const lines = [
    'kpispec: 1', 'name: Generated', 'defaults: { grain: month, currency: CNY, timezone: Asia/Shanghai }', 'sources:',
    '  web: { file: web.csv, time: date, dimensions: [channel] }',
    '  shop:', '    rows:', '      - { day: 2026-01-01, orders: 3 }', '    time: day',
    '  flat: { rows: [{ n: 1 }] }',
    'metrics:',
  ];
  const cols = ['sessions', 'bounces', 'revenue', 'spend', 'seconds'];
  for (let i = 0; i < n; i++) {
    const col = cols[i % cols.length]!;
    const unit = col === 'revenue' ? ', unit: currency' : col === 'spend' ? ', currency: USD' : col === 'seconds' ? ', unit: seconds' : '';
    const where = i % 7 === 3 ? `, where: 'channel == "email"'` : '';
    lines.push(`  m_a_${i}: { source: ${i % 11 === 5 ? 'flat' : 'web'}, agg: sum, column: ${col}${unit}${where} }`);
  }
  lines.push('  orders: { source: shop, agg: sum, column: orders }');
  lines.push('kpis:');
  for (let i = 0; i < n; i++) {
    const a = `m_a_${i}`;
    const b = `m_a_${(i + 5) % n}`;
    const formula = i % 9 === 0 && i > 0 ? `kpi_a_${i - 1} * 2` : i % 13 === 4 ? `${a} + ${b.replace('m_a_', 'mm_')}` : `(${a} - ${b}) / ${b}`;
    lines.push(`  kpi_a_${i}:`, `    title: KPI ${i} 转化率`, `    formula: ${formula}`);
    if (i % 2) lines.push('    format: percent', `    direction: ${i % 4 === 1 ? 'up' : 'down'}`);
    if (i % 3 === 0) lines.push('    target:', `      - { from: 2026-01, min: ${i % 6 ? '10%' : 40} }`, '      - { from: 2026-07, min: 15% }');
    else if (i % 3 === 1) lines.push(`    target: { max: ${i % 5 ? '20%' : 50} }`, `    warn: { max: 25% }`);
    if (i % 4 === 2) lines.push('    by: [channel]');
  }
  lines.push('  k_orders: { formula: orders, by: [region] }');
  lines.push('goals:', '  grow:', '    horizon: short', '    kpis:');
  for (let i = 0; i < Math.min(n, 6); i++) lines.push(`      kpi_a_${i}: { weight: ${i % 3} }`);
  return lines.join('\n') + '\n';
}


// Generates KPI workspaces for the check benchmark: realistic entries, every rule's input shape.
import * as fs from 'node:fs';
import * as path from 'node:path';

const CSV = 'date,channel,device,region,sessions,bounces,orders,revenue,ad_spend\n' +
  Array.from({ length: 60 }, (_, i) => `2026-01-${String((i % 28) + 1).padStart(2, '0')},email,mobile,华东,${100 + i},${30 + i},${5 + (i % 7)},${(500 + i * 3.5).toFixed(2)},${(100 + i).toFixed(2)}`).join('\n') + '\n';

/** One spec text with `count` KPIs (and as many metrics), ids suffixed with `tag`. */
export function specText(count, tag, dataPath) {
  const lines = ['kpispec: 1', `name: Benchmark ${tag}`, 'defaults: { grain: month, currency: CNY, timezone: Asia/Shanghai }', 'sources:',
    `  web_${tag}: { file: ${dataPath}, time: date, dimensions: [channel, device, region] }`, 'metrics:'];
  const cols = ['sessions', 'bounces', 'orders', 'revenue', 'ad_spend'];
  for (let i = 0; i < count; i++) {
    const col = cols[i % cols.length];
    lines.push(`  m_${tag}_${i}: { source: web_${tag}, agg: sum, column: ${col}${col === 'revenue' || col === 'ad_spend' ? ', unit: currency' : ''} }`);
  }
  lines.push('kpis:');
  for (let i = 0; i < count; i++) {
    // Ratios of like units: count/count or currency/currency, so the spec is clean.
    const base = i - (i % 5);
    const [a, b] = i % 5 < 3 ? [base + 1, base] : [base + 3, base + 4];
    const n = (k) => `m_${tag}_${Math.min(k, count - 1) - (Math.min(k, count - 1) % 5) + (k % 5)}`;
    lines.push(`  kpi_${tag}_${i}:`,
      `    title: KPI ${i} 转化率`,
      `    description: Share of ${a} over ${b}, tracked monthly against a dated target.`,
      `    formula: (${n(a)} - ${n(b)}) / ${n(b)}`,
      '    format: percent',
      `    direction: ${i % 2 ? 'up' : 'down'}`,
      '    target:',
      `      - { from: 2026-01, ${i % 2 ? 'min' : 'max'}: 10% }`,
      `      - { from: 2026-07, ${i % 2 ? 'min' : 'max'}: 15% }`,
      `    warn: { ${i % 2 ? 'min' : 'max'}: ${i % 2 ? '5%' : '20%'} }`,
      '    by: [channel, device]');
  }
  lines.push('goals:', `  goal_${tag}:`, '    horizon: short', '    kpis:');
  for (let i = 0; i < Math.min(count, 20); i++) lines.push(`      kpi_${tag}_${i}: { weight: ${1 + (i % 3)} }`);
  return lines.join('\n') + '\n';
}

export function generate(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'single'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'multi'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'single', 'web.csv'), CSV);
  fs.writeFileSync(path.join(dir, 'multi', 'web.csv'), CSV);
  fs.writeFileSync(path.join(dir, 'single', 'big.kpi.yaml'), specText(10_000, 'a', 'web.csv'));
  for (let f = 0; f < 100; f++) {
    fs.writeFileSync(path.join(dir, 'multi', `f${String(f).padStart(3, '0')}.kpi.yaml`), specText(100, `f${f}`, 'web.csv'));
  }
  fs.writeFileSync(path.join(dir, 'k1000.kpi.yaml'), specText(1000, 'k', 'single/web.csv'));
}

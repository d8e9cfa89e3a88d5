/** The data scenario's figures as text, for stdout and for docs/benchmarks.md. */
import type { DataScenarioResult } from './run-data-scenario.js';
import type { TableSize } from './measure-table-sizes.js';

const n = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

export function formatDataReport(result: DataScenarioResult, header: string[]): string {
  const lines = [...header, '', `seeded ${result.rows} deliveries in ${n(result.seedMs / 1000)} s`, ''];
  lines.push('route (4 keep-alive clients)                                   p50 / p99 ms     requests  rows');
  for (const r of result.routes) {
    lines.push(`${r.route.slice(0, 62).padEnd(62)} ${`${n(r.latencyMs.p50)} / ${n(r.latencyMs.p99)}`.padEnd(16)} ${String(r.latencyMs.count).padStart(8)}  ${r.pageRows}${r.errors > 0 ? ` (${r.errors} errors)` : ''}`);
  }
  lines.push('', `retention run: ${n(result.retention.ms)} ms, ${JSON.stringify(result.retention.report)}`, '');
  lines.push('sizes before retention:', ...sizes(result.sizesBefore), '', 'sizes after retention:', ...sizes(result.sizesAfter));
  for (const plan of result.plans) {
    lines.push('', `-- ${plan.title}: ${n(plan.executionMs, 3)} ms`, plan.sql, plan.plan);
  }
  return lines.join('\n');
}

function sizes(tables: TableSize[]): string[] {
  return tables.map(
    (t) =>
      `  ${t.table}: ${t.rows} rows, ${t.partitions} partitions, table ${n(t.tableMiB)} MiB, indexes ${n(t.indexesMiB)} MiB (` +
      Object.entries(t.indexes).map(([name, mib]) => `${name} ${n(mib)}`).join(', ') +
      ')',
  );
}

/*
 * Pieces of the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/), written by hand: the format is small and
 * a client library would be a dependency for forty lines.
 */

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function assertMetricName(name: string): void {
  if (!METRIC_NAME.test(name)) throw new Error(`Invalid metric name ${JSON.stringify(name)}.`);
}

/** Label names are identifiers; `__` is reserved by Prometheus, and `reserved` (e.g. `le`) by the metric type. */
export function assertLabelNames(metric: string, names: readonly string[], reserved: readonly string[] = []): void {
  for (const name of names) {
    if (!LABEL_NAME.test(name) || name.startsWith('__') || reserved.includes(name)) {
      throw new Error(`Invalid label name ${JSON.stringify(name)} on metric ${metric}.`);
    }
  }
  if (new Set(names).size !== names.length) throw new Error(`Duplicate label names on metric ${metric}.`);
}

export const escapeHelp = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

const escapeLabelValue = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** `{a="x",b="y"}`, or the empty string for no labels. */
export function formatLabels(pairs: ReadonlyArray<readonly [string, string]>): string {
  if (pairs.length === 0) return '';
  return `{${pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

export function sampleLine(name: string, pairs: ReadonlyArray<readonly [string, string]>, value: number): string {
  return `${name}${formatLabels(pairs)} ${formatValue(value)}`;
}

/*
 * Name checks of the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). prom-client renders the text; these
 * checks make a bad metric definition fail where it is written, with a message that names it.
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

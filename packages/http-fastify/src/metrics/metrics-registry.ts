/*
 * The metrics registry behind `GET /metrics`: a thin face over prom-client, so the parts that are observed
 * (the HTTP app, the delivery worker, sessions, the outbox) depend on four small methods rather than on a
 * client library. Each call of `createMetricsRegistry` owns a prom-client `Registry` of its own (never the
 * library's global one): two apps built in one process, as tests do, never share or collide on a metric.
 *
 * Label values are caller data, so keep them bounded (a route pattern, not a URL; an outcome, not an id):
 * every distinct combination is a series kept in memory until the process ends.
 */
import { Counter as PromCounter, Gauge as PromGauge, Histogram as PromHistogram, Registry, collectDefaultMetrics } from 'prom-client';
import { assertLabelNames, assertMetricName } from './prometheus-text.js';

export type LabelValues<L extends string> = { readonly [K in L]: string | number };

export interface Counter<L extends string = never> {
  /** Adds `by` (default 1; never negative) to the series of `labels`. */
  inc(labels?: LabelValues<L>, by?: number): void;
}

export interface Gauge<L extends string = never> {
  set(labels: LabelValues<L>, value: number): void;
  inc(labels?: LabelValues<L>, by?: number): void;
  dec(labels?: LabelValues<L>, by?: number): void;
  /** Forgets every series (a collect callback that re-reads everything calls it first). */
  reset(): void;
}

export interface Histogram<L extends string = never> {
  /** Counts `value` (seconds, bytes, ...) into the buckets of the series of `labels`. */
  observe(labels: LabelValues<L>, value: number): void;
}

/** Called at every scrape, before rendering: set the gauge from the live state (sessions open, ...). */
export type GaugeCollector<L extends string> = (gauge: Gauge<L>) => void | Promise<void>;

export interface MetricsRegistry {
  /** Throws when `name` is taken or a name is invalid: metric definitions are code, not input. */
  counter<L extends string = never>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  gauge<L extends string = never>(
    name: string,
    help: string,
    labelNames?: readonly L[],
    collect?: GaugeCollector<L>,
  ): Gauge<L>;
  /** `buckets`: ascending upper bounds; `+Inf` is implied. Default: Prometheus' latency buckets in seconds. */
  histogram<L extends string = never>(
    name: string,
    help: string,
    labelNames?: readonly L[],
    buckets?: readonly number[],
  ): Histogram<L>;
  /** Runs the gauges' collectors, then renders every metric in the text exposition format 0.0.4. */
  render(): Promise<string>;
}

export interface MetricsRegistryOptions {
  /**
   * Adds prom-client's process metrics (`process_*` and `nodejs_*`: CPU, resident memory, heap, event-loop
   * lag, GC, open handles). Default false, so a registry built for a test holds only what it registers.
   */
  readonly processMetrics?: boolean;
}

export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

type Labels = Record<string, string | number>;

/** Every declared label, no other: a missing label would otherwise start a second, half-labelled series. */
function exactLabels(metric: string, labelNames: readonly string[]) {
  return (labels: unknown): Labels => {
    const given = (labels ?? {}) as Labels;
    const keys = Object.keys(given);
    if (keys.length !== labelNames.length || labelNames.some((name) => given[name] === undefined)) {
      throw new Error(`Metric ${metric} takes exactly the labels [${labelNames.join(', ')}].`);
    }
    return given;
  };
}

export function createMetricsRegistry(options: MetricsRegistryOptions = {}): MetricsRegistry {
  const registry = new Registry();
  if (options.processMetrics === true) collectDefaultMetrics({ register: registry });

  function check(name: string, labelNames: readonly string[], reserved: readonly string[] = []): string[] {
    assertMetricName(name);
    assertLabelNames(name, labelNames, reserved);
    if (registry.getSingleMetric(name) !== undefined) throw new Error(`Metric ${name} is already registered.`);
    return [...labelNames];
  }

  return {
    counter(name, help, labelNames = []) {
      const counter = new PromCounter({ name, help, labelNames: check(name, labelNames), registers: [registry] });
      const labelsOf = exactLabels(name, labelNames);
      return {
        inc(labels, by = 1) {
          if (!(by >= 0)) throw new RangeError(`Counter ${name} can only go up, got ${by}.`);
          counter.inc(labelsOf(labels), by);
        },
      };
    },

    gauge(name, help, labelNames = [], collect) {
      const labelsOf = exactLabels(name, labelNames);
      let face: Gauge<(typeof labelNames)[number]>;
      const gauge = new PromGauge({
        name,
        help,
        labelNames: check(name, labelNames),
        registers: [registry],
        ...(collect === undefined ? {} : { collect: () => collect(face) }),
      });
      face = {
        set: (labels, value) => gauge.set(labelsOf(labels), value),
        inc: (labels, by = 1) => gauge.inc(labelsOf(labels), by),
        dec: (labels, by = 1) => gauge.dec(labelsOf(labels), by),
        reset: () => gauge.reset(),
      };
      return face;
    },

    histogram(name, help, labelNames = [], buckets = DEFAULT_BUCKETS) {
      const bounds = buckets.filter((bound) => bound !== Infinity);
      if (bounds.length === 0 || bounds.some((bound, i) => !Number.isFinite(bound) || (i > 0 && bound <= bounds[i - 1]!))) {
        throw new Error(`Histogram ${name} needs finite, strictly ascending buckets.`);
      }
      const histogram = new PromHistogram({ name, help, labelNames: check(name, labelNames, ['le']), buckets: bounds, registers: [registry] });
      const labelsOf = exactLabels(name, labelNames);
      return { observe: (labels, value) => histogram.observe(labelsOf(labels), value) };
    },

    render: () => registry.metrics(),
  };
}

/*
 * A tiny metrics registry: counters, gauges and histograms with labels, rendered as Prometheus text for
 * `GET /metrics`. The composition root creates one and hands it to every part that wants to be observed
 * (the HTTP app counts requests; sessions and the delivery worker can add gauges and counters). No module
 * state: two registries never share a metric.
 *
 * Label values are caller data, so keep them bounded (a route pattern, not a URL; an outcome, not an id):
 * every distinct combination is a series kept in memory until the process ends.
 */
import { assertLabelNames, assertMetricName, escapeHelp, sampleLine } from './prometheus-text.js';

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
  /** Runs the gauges' collectors, then renders every metric in the text exposition format. */
  render(): Promise<string>;
}

export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

type Pairs = Array<readonly [string, string]>;

interface Family {
  readonly name: string;
  collect?(): void | Promise<void>;
  render(lines: string[]): void;
}

/** Series of one metric keyed by their label values, checked against the declared label names. */
function seriesOf<L extends string, S>(metric: string, labelNames: readonly L[], create: () => S) {
  const series = new Map<string, { pairs: Pairs; state: S }>();
  const get = (labels: LabelValues<L> | undefined): S => {
    const given = (labels ?? {}) as Record<string, string | number | undefined>;
    const values = labelNames.map((name) => given[name]);
    if (values.some((value) => value === undefined) || Object.keys(given).length !== labelNames.length) {
      throw new Error(`Metric ${metric} takes exactly the labels [${labelNames.join(', ')}].`);
    }
    const key = JSON.stringify(values);
    let entry = series.get(key);
    if (entry === undefined) {
      entry = { pairs: labelNames.map((name, i) => [name, String(values[i])] as const), state: create() };
      series.set(key, entry);
    }
    return entry.state;
  };
  return { get, entries: () => [...series.values()], clear: () => series.clear() };
}

export function createMetricsRegistry(): MetricsRegistry {
  const families = new Map<string, Family>();

  function register(name: string, help: string, type: string, labelNames: readonly string[], family: Omit<Family, 'name'>) {
    assertMetricName(name);
    assertLabelNames(name, labelNames, type === 'histogram' ? ['le'] : []);
    if (families.has(name)) throw new Error(`Metric ${name} is already registered.`);
    families.set(name, {
      name,
      ...(family.collect === undefined ? {} : { collect: family.collect }),
      render(lines) {
        lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
        family.render(lines);
      },
    });
  }

  return {
    counter(name, help, labelNames = []) {
      const series = seriesOf(name, labelNames, () => ({ value: 0 }));
      // A counter without labels has one series from the start, so it reads 0 before its first event.
      if (labelNames.length === 0) series.get(undefined);
      register(name, help, 'counter', labelNames, {
        render: (lines) => series.entries().forEach(({ pairs, state }) => lines.push(sampleLine(name, pairs, state.value))),
      });
      return {
        inc(labels, by = 1) {
          if (!(by >= 0)) throw new RangeError(`Counter ${name} can only go up, got ${by}.`);
          series.get(labels).value += by;
        },
      };
    },

    gauge(name, help, labelNames = [], collect) {
      const series = seriesOf(name, labelNames, () => ({ value: 0 }));
      const gauge: Gauge<(typeof labelNames)[number]> = {
        set: (labels, value) => void (series.get(labels).value = value),
        inc: (labels, by = 1) => void (series.get(labels).value += by),
        dec: (labels, by = 1) => void (series.get(labels).value -= by),
        reset: () => series.clear(),
      };
      register(name, help, 'gauge', labelNames, {
        ...(collect === undefined ? {} : { collect: () => collect(gauge) }),
        render: (lines) => series.entries().forEach(({ pairs, state }) => lines.push(sampleLine(name, pairs, state.value))),
      });
      return gauge;
    },

    histogram(name, help, labelNames = [], buckets = DEFAULT_BUCKETS) {
      const bounds = buckets.filter((bound) => bound !== Infinity);
      if (bounds.length === 0 || bounds.some((bound, i) => !Number.isFinite(bound) || (i > 0 && bound <= bounds[i - 1]!))) {
        throw new Error(`Histogram ${name} needs finite, strictly ascending buckets.`);
      }
      const series = seriesOf(name, labelNames, () => ({ counts: bounds.map(() => 0), sum: 0, count: 0 }));
      register(name, help, 'histogram', labelNames, {
        render(lines) {
          for (const { pairs, state } of series.entries()) {
            let cumulative = 0;
            bounds.forEach((bound, i) => {
              cumulative += state.counts[i]!;
              lines.push(sampleLine(`${name}_bucket`, [...pairs, ['le', String(bound)]], cumulative));
            });
            lines.push(sampleLine(`${name}_bucket`, [...pairs, ['le', '+Inf']], state.count));
            lines.push(sampleLine(`${name}_sum`, pairs, state.sum), sampleLine(`${name}_count`, pairs, state.count));
          }
        },
      });
      return {
        observe(labels, value) {
          const state = series.get(labels);
          const index = bounds.findIndex((bound) => value <= bound);
          if (index >= 0) state.counts[index]! += 1;
          state.sum += value;
          state.count += 1;
        },
      };
    },

    async render() {
      const all = [...families.values()];
      await Promise.all(all.map((family) => family.collect?.()));
      const lines: string[] = [];
      all.forEach((family) => family.render(lines));
      return `${lines.join('\n')}\n`;
    },
  };
}

import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../src/index.js';
import { parsePrometheusText, valueOf } from '@whatisup/test-infra';

describe('metrics registry', () => {
  it('renders counters by label with HELP and TYPE lines', async () => {
    const registry = createMetricsRegistry();
    const deliveries = registry.counter('whatisup_deliveries_total', 'Webhook deliveries by outcome.', ['outcome']);
    deliveries.inc({ outcome: 'success' });
    deliveries.inc({ outcome: 'success' }, 2);
    deliveries.inc({ outcome: 'failed' });
    const { samples, types, help } = parsePrometheusText(await registry.render());
    expect(types['whatisup_deliveries_total']).toBe('counter');
    expect(help['whatisup_deliveries_total']).toBe('Webhook deliveries by outcome.');
    expect(valueOf(samples, 'whatisup_deliveries_total', { outcome: 'success' })).toBe(3);
    expect(valueOf(samples, 'whatisup_deliveries_total', { outcome: 'failed' })).toBe(1);
  });

  it('shows a counter without labels as 0 before it first counts', async () => {
    const registry = createMetricsRegistry();
    registry.counter('whatisup_things_total', 'Things.');
    expect(await registry.render()).toContain('\nwhatisup_things_total 0\n');
  });

  it('renders gauges set directly and gauges filled by a collector at scrape time', async () => {
    const registry = createMetricsRegistry();
    const queued = registry.gauge('whatisup_queued', 'Queued.');
    queued.set({}, 5);
    queued.dec({}, 2);
    let live = 1;
    registry.gauge('whatisup_live_sessions', 'Open WhatsApp sessions by status.', ['status'], (gauge) => {
      gauge.reset();
      gauge.set({ status: 'connected' }, live);
    });
    let parsed = parsePrometheusText(await registry.render());
    expect(parsed.types['whatisup_live_sessions']).toBe('gauge');
    expect(valueOf(parsed.samples, 'whatisup_queued')).toBe(3);
    expect(valueOf(parsed.samples, 'whatisup_live_sessions', { status: 'connected' })).toBe(1);
    live = 7;
    parsed = parsePrometheusText(await registry.render());
    expect(valueOf(parsed.samples, 'whatisup_live_sessions', { status: 'connected' })).toBe(7);
  });

  it('renders histograms as cumulative buckets with +Inf, sum and count', async () => {
    const registry = createMetricsRegistry();
    const latency = registry.histogram('whatisup_latency_seconds', 'Latency.', ['op'], [0.1, 1]);
    for (const value of [0.05, 0.1, 0.5, 3]) latency.observe({ op: 'send' }, value);
    const { samples, types } = parsePrometheusText(await registry.render());
    expect(types['whatisup_latency_seconds']).toBe('histogram');
    expect(valueOf(samples, 'whatisup_latency_seconds_bucket', { op: 'send', le: '0.1' })).toBe(2);
    expect(valueOf(samples, 'whatisup_latency_seconds_bucket', { op: 'send', le: '1' })).toBe(3);
    expect(valueOf(samples, 'whatisup_latency_seconds_bucket', { op: 'send', le: '+Inf' })).toBe(4);
    expect(valueOf(samples, 'whatisup_latency_seconds_sum', { op: 'send' })).toBeCloseTo(3.65);
    expect(valueOf(samples, 'whatisup_latency_seconds_count', { op: 'send' })).toBe(4);
  });

  it('escapes label values and help text', async () => {
    const registry = createMetricsRegistry();
    registry.counter('whatisup_odd_total', 'Back\\slash and\nnewline.', ['value']).inc({ value: 'a "quoted"\\ line\nbreak' });
    const text = await registry.render();
    expect(text).toContain('# HELP whatisup_odd_total Back\\\\slash and\\nnewline.');
    const { samples } = parsePrometheusText(text);
    expect(samples[0]!.labels['value']).toBe('a "quoted"\\ line\nbreak');
  });

  it('refuses duplicate or invalid names, reserved labels, wrong labels and negative counts', () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter('whatisup_a_total', 'A.', ['kind']);
    expect(() => registry.counter('whatisup_a_total', 'Again.')).toThrow(/already registered/);
    expect(() => registry.gauge('bad-name', 'Bad.')).toThrow(/Invalid metric name/);
    expect(() => registry.gauge('whatisup_b', 'B.', ['__x'])).toThrow(/Invalid label name/);
    expect(() => registry.histogram('whatisup_c', 'C.', ['le'])).toThrow(/Invalid label name/);
    expect(() => registry.histogram('whatisup_d', 'D.', [], [1, 0.5])).toThrow(/ascending/);
    expect(() => counter.inc({ kind: 'x', extra: 'y' } as never)).toThrow(/exactly the labels/);
    expect(() => counter.inc({} as never)).toThrow(/exactly the labels/);
    expect(() => counter.inc({ kind: 'x' }, -1)).toThrow(RangeError);
  });

  it('keeps the metrics of two registries apart', async () => {
    const first = createMetricsRegistry();
    const second = createMetricsRegistry();
    first.counter('whatisup_x_total', 'X.').inc();
    second.counter('whatisup_x_total', 'X.');
    expect(valueOf(parsePrometheusText(await first.render()).samples, 'whatisup_x_total')).toBe(1);
    expect(valueOf(parsePrometheusText(await second.render()).samples, 'whatisup_x_total')).toBe(0);
  });

  it('adds the process metrics on request, in each of several registries of one process', async () => {
    const plain = createMetricsRegistry();
    expect(await plain.render()).not.toContain('nodejs_');
    const first = createMetricsRegistry({ processMetrics: true });
    const second = createMetricsRegistry({ processMetrics: true });
    for (const registry of [first, second]) {
      const { types } = parsePrometheusText(await registry.render());
      expect(types['nodejs_eventloop_lag_seconds']).toBe('gauge');
      expect(types['nodejs_gc_duration_seconds']).toBe('histogram');
      expect(types['nodejs_heap_size_used_bytes']).toBe('gauge');
      expect(types['nodejs_active_handles_total']).toBe('gauge');
      expect(types['process_resident_memory_bytes']).toBe('gauge');
    }
  });
});

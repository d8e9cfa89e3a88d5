/*
 * The run's figures: a table for people on stdout and the same numbers as JSON in bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import type { HttpApiResult } from './measure-http-api.js';
import { formatInboundMessages, type InboundMessagesResult } from './measure-inbound-messages.js';
import type { MessageSendingResult } from './measure-message-sending.js';
import { formatSendAcceptance, type SendAcceptanceResult } from './measure-send-acceptance.js';
import { formatWebhookPipeline, type WebhookPipelineResult } from './measure-webhook-pipeline.js';
import type { WebhookDeliveryResult } from './measure-webhook-delivery.js';
import type { MemoryReading } from './server-process.js';
import type { LatencySummary } from './stats.js';

/** A section's figures, or why it has none. */
export type Outcome<T> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly skipped: boolean; readonly reason: string };

export interface BenchReport {
  readonly date: string;
  readonly command: string;
  readonly mode: 'full' | 'quick';
  readonly server: 'built (dist)' | 'source (tsx)';
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly memoryGiB: number; readonly node: string };
  /** 1-minute load average before the server started and after the last section: other work skews the figures. */
  readonly loadAverage: { readonly before: number; readonly after: number };
  readonly serverSettings: Record<string, string>;
  readonly httpApi: Outcome<HttpApiResult>;
  readonly webhookDelivery: Outcome<WebhookDeliveryResult>;
  readonly messageSending: Outcome<MessageSendingResult>;
  readonly webhookPipeline: Outcome<WebhookPipelineResult>;
  readonly sendAcceptance: Outcome<SendAcceptanceResult>;
  readonly inboundMessages: Outcome<InboundMessagesResult>;
  readonly memory: { readonly idle: MemoryReading | null; readonly afterLoad: MemoryReading | null };
}

export function describeMachine(): BenchReport['machine'] {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

/** The 1-minute load average. */
export const loadNow = (): number => Math.round((loadavg()[0] ?? 0) * 100) / 100;

export function writeReport(report: BenchReport, directory: string): string {
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, 'latest.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

const n = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const ms = (l: LatencySummary) => `${n(l.p50, 1)} / ${n(l.p95, 1)} / ${n(l.p99, 1)} ms`;
const cpu = (perUnit: number, percent: number) => `${n(perUnit, 2)} ms (${n(percent)} % of a core)`;
const ms99 = (l: LatencySummary) => `${n(l.p50, 1)} / ${n(l.p99, 1)} ms`;

/** The report as an aligned three-column table. */
export function formatReport(report: BenchReport): string {
  const rows: Array<[string, string, string]> = [];
  const section = <T>(title: string, outcome: Outcome<T>, lines: (result: T) => Array<[string, string]>) => {
    if (!outcome.ok) return void rows.push([title, outcome.skipped ? 'skipped' : 'FAILED', outcome.reason]);
    lines(outcome.result).forEach(([metric, value], i) => rows.push([i === 0 ? title : '', metric, value]));
  };
  section('1. HTTP API', report.httpApi, (r) => [
    ['GET /v1/instances, keep-alive clients', String(r.concurrency)],
    ['requests/s', n(r.requestsPerSecond)],
    ['latency p50 / p95 / p99', ms(r.latencyMs)],
    ['requests (errors)', `${r.requests} (${r.errors}${r.errors > 0 ? ` ${JSON.stringify(r.errorsByStatus)}` : ''})`],
    ['server CPU per request (core busy)', cpu(r.serverCpuMsPerRequest, r.serverCpuPercent)],
    ['load generator CPU (this process)', `${n(r.clientCpuPercent)} % of a core`],
  ]);
  section('2. Webhook delivery', report.webhookDelivery, (r) => [
    ['webhook.test events, concurrency', `${r.count}, ${r.concurrency}`],
    ['accepted/s (POST .../test)', n(r.acceptedPerSecond)],
    ['delivered end to end/s', n(r.deliveriesPerSecond)],
    ['occurred_at → arrival p50 / p99', ms99(r.endToEndLatencyMs)],
    ['all arrived after', `${n(r.totalMs / 1000, 2)} s`],
    ['errors / missing / duplicates', `${r.errors} / ${r.missing} / ${r.duplicates}`],
    ['server CPU per event (core busy)', cpu(r.serverCpuMsPerEvent, r.serverCpuPercent)],
  ]);
  section('3. Message sending', report.messageSending, (r) => [
    ['sandbox instances, text messages', `${r.instances}, ${r.count}`],
    ['accepted/s (202)', n(r.acceptedPerSecond)],
    ['202 latency p50 / p95 / p99', ms(r.acceptLatencyMs)],
    ['sent/s (until none queued)', n(r.sendsPerSecond)],
    ['queued → sent p50 / p99 (sample)', ms99(r.queuedToSentMs)],
    ['all sent after', `${n(r.totalMs / 1000, 2)} s`],
    ['server CPU per message (core busy)', cpu(r.serverCpuMsPerMessage, r.serverCpuPercent)],
    ['errors / failed', `${r.errors}${r.errors > 0 ? ` ${JSON.stringify(r.errorsByStatus)}` : ''} / ${r.failed}`],
  ]);
  section('5. Webhook pipeline', report.webhookPipeline, formatWebhookPipeline);
  section('6. Staged send', report.sendAcceptance, formatSendAcceptance);
  section('7. Inbound messages', report.inboundMessages, formatInboundMessages);
  const mem = (reading: MemoryReading | null) => (reading === null ? '-' : `${n(reading.rssMiB, 1)} MiB`);
  rows.push(['4. Server memory', 'RSS idle after start', mem(report.memory.idle)]);
  rows.push(['', 'RSS after the load', mem(report.memory.afterLoad)]);
  rows.push(['', 'peak RSS (VmHWM)', report.memory.afterLoad === null ? '-' : `${n(report.memory.afterLoad.peakRssMiB, 1)} MiB`]);

  const widths = [0, 1].map((col) => Math.max(...rows.map((row) => row[col]!.length)));
  const { machine, loadAverage } = report;
  const busy = Math.max(loadAverage.before, loadAverage.after) > machine.cpus / 2;
  return [
    `WhatIsUp benchmark (${report.mode}, server ${report.server}) ${report.date}: ${report.command}`,
    `${machine.cpus} cores ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`,
    `load average (1 min) before ${loadAverage.before}, after ${loadAverage.after}` +
      (busy ? ': the machine was busy with other work, so these figures understate the server' : ''),
    `server settings: ${Object.entries(report.serverSettings).map(([name, value]) => `${name}=${value}`).join(' ')}`,
    '',
    ...rows.map(([a, b, c]) => `${a.padEnd(widths[0]!)}  ${b.padEnd(widths[1]!)}  ${c}`),
  ].join('\n');
}

import type { ReadinessReport } from '@sipflow/telemetry';

/**
 * What the primary of `sipflow process` and its workers say to each other over the cluster's IPC
 * channel. Tagged with `sipflow` so that prom-client's own metrics requests on the same channel
 * (AggregatorRegistry) pass by.
 */
export type ToWorker = { sipflow: 'readyz'; id: number } | { sipflow: 'stop' };
export type FromWorker = { sipflow: 'started' } | { sipflow: 'readyz'; id: number; report: ReadinessReport };

export function isFromWorker(m: unknown): m is FromWorker {
  return typeof m === 'object' && m !== null && typeof (m as { sipflow?: unknown }).sipflow === 'string';
}

export function isToWorker(m: unknown): m is ToWorker {
  return isFromWorker(m as never);
}

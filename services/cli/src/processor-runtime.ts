import { startProcessor, type ProcessorConfig, type RunningProcessor } from '@sipflow/processor';
import type { Rules } from '@sipflow/rules';
import {
  createProcessorMetrics,
  startHttpServer,
  type Logger,
  type RunningHttpServer,
} from '@sipflow/telemetry';
import { Registry } from 'prom-client';
import { SIPFLOW_VERSION } from './version';

export type ProcessorRuntime = { processor: RunningProcessor; http: RunningHttpServer; registry: Registry };

/**
 * The processor with its HTTP endpoints. The endpoints come up first, so that /healthz answers
 * (and /readyz says "starting") while the processor waits for the broker or the registry; if the
 * processor cannot start, the endpoints are closed again so the process can exit.
 */
export async function startProcessorRuntime(
  config: ProcessorConfig,
  rules: Rules,
  logger: Logger,
): Promise<ProcessorRuntime> {
  const registry = new Registry();
  const metrics = createProcessorMetrics(registry, { version: SIPFLOW_VERSION });
  const running: { processor?: RunningProcessor } = {};
  const http = await startHttpServer({
    host: config.metrics.host,
    port: config.metrics.port,
    registry,
    readiness: () => running.processor?.readiness() ?? { ready: false, checks: { starting: { ok: false } } },
    logger,
  });
  logger.info({ url: http.url }, 'metrics and health endpoints up');
  try {
    running.processor = await startProcessor(config, { rules, metrics, logger });
  } catch (err) {
    await http.close();
    throw err;
  }
  return { processor: running.processor, http, registry };
}

import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runSimulator } from '@sipflow/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultVariableValues,
  loadDashboard,
  panelQueries,
  substitute,
} from '../../scripts/dashboard/dashboard-queries';
import { instantQuery, rules, type Sample } from '../../scripts/dashboard/prometheus-api';
import { testKafka, testRegistry } from '../support/cluster';
import { freePort } from '@sipflow/stack';
import {
  createTestTopics,
  deleteTopics,
  spawnProcessor,
  type ChildProcessor,
} from '../support/processor-harness';
import { findPrometheusTools } from '../support/prometheus-tools';
import { startPrometheus, stopChild, waitFor, type RunningPrometheus } from '../support/prometheus-server';
import { type Topics } from '@sipflow/pipeline';

// A real `sipflow process` under simulated load (poison records included, so the DLQ panels have
// data), scraped every second by a real Prometheus that also evaluates the alert rules. Every
// query of every dashboard panel must return data: a panel added to the JSON is covered without
// touching this file.
const JOB = 'sipflow';
const RATE = 300; // events/s: enough for every disposition, poison kind and histogram bucket to move
const WARM_UP_MS = 90_000;
const dashboard = loadDashboard();
const queries = panelQueries(dashboard);
const found = findPrometheusTools();

const hasData = (samples: Sample[]) => samples.some((s) => Number.isFinite(Number(s.value[1])));

describe.skipIf(!found.tools)(
  `observability: dashboard and alerts against a real Prometheus${found.skipReason ? ` (skipped: ${found.skipReason})` : ''}`,
  () => {
    let topics: Topics;
    let processor: ChildProcessor | undefined;
    let prometheus: RunningPrometheus | undefined;
    let values: Record<string, string>;
    const load = new AbortController();
    let simulation: Promise<unknown> = Promise.resolve();

    beforeAll(async () => {
      topics = await createTestTopics('obs');
      const metricsPort = await freePort();
      processor = spawnProcessor(topics, { METRICS_PORT: String(metricsPort), LAG_REFRESH_SECONDS: '1' });
      await waitFor(`http://127.0.0.1:${metricsPort}/readyz`, 60_000, processor).catch((err: Error) => {
        throw new Error(`${err.message}\n${processor!.output()}`);
      });
      prometheus = await startPrometheus({
        binary: found.tools!.prometheus,
        jobName: JOB,
        targets: [`127.0.0.1:${metricsPort}`],
        scrapeInterval: '1s',
        ruleFiles: [resolve('ops/prometheus/alerts/sipflow.rules.yml')],
      });
      simulation = runSimulator({
        kafka: testKafka('sipflow-observability-test'),
        registry: testRegistry(),
        topic: topics.input,
        rate: RATE,
        durationSeconds: 600, // the abort in afterAll ends it much sooner
        poisonRatio: 0.05,
        seed: 6,
        signal: load.signal,
      });
      simulation.catch(() => undefined); // a failure shows up as missing data, with its panel named

      // With 1 s scrapes, a 5 s window holds enough samples for rate() and histogram_quantile().
      values = defaultVariableValues(dashboard, { job: JOB, topic: topics.input, __rate_interval: '5s' });
      await waitUntilEveryQueryHasData(prometheus.url, values);
    });

    afterAll(async () => {
      load.abort();
      await Promise.race([simulation.catch(() => undefined), sleep(10_000)]);
      if (processor) await stopChild(processor, 35_000);
      await prometheus?.stop();
      if (topics) await deleteTopics(topics);
    });

    it('reads at least one query per panel from the dashboard JSON', () => {
      expect(new Set(queries.map((q) => q.panel)).size).toBeGreaterThanOrEqual(15);
    });

    it.each(queries.map((q) => [`${q.panel} [${q.refId}]`, q] as const))(
      'panel query returns data: %s',
      async (_name, query) => {
        const expr = substitute(query.expr, values);
        const samples = await instantQuery(prometheus!.url, expr);
        expect(hasData(samples), `no data for ${expr}`).toBe(true);
      },
    );

    it('evaluates every alerting and recording rule on live data without error', async () => {
      const loaded = await rules(prometheus!.url);
      expect(loaded.length).toBeGreaterThanOrEqual(7);
      for (const rule of loaded)
        expect(`${rule.name}: ${rule.lastError ?? rule.health}`).toBe(`${rule.name}: ok`);
    });
  },
);

/**
 * Waits (bounded) until every panel query returns data, so the per-query tests below read a warm
 * Prometheus; it returns rather than throws at the deadline, and the tests name what is missing.
 */
async function waitUntilEveryQueryHasData(url: string, values: Record<string, string>): Promise<void> {
  const deadline = Date.now() + WARM_UP_MS;
  let pending = queries;
  while (pending.length > 0 && Date.now() < deadline) {
    await sleep(2000);
    const results = await Promise.all(
      pending.map((q) => instantQuery(url, substitute(q.expr, values)).then(hasData, () => false)),
    );
    pending = pending.filter((_, i) => !results[i]);
  }
}

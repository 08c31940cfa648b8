// The soak's main loop: offers the load at a steady rate, samples the processor on a fixed
// period, and ends when the processor has committed every offered event, or fails the moment the
// run cannot succeed (processor gone, falling behind, out of time).
import { setTimeout as sleep } from 'node:timers/promises';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { runSimulator, type SimulatorStats } from '@sipflow/simulator';
import type { Kafka } from 'kafkajs';
import type { SoakSettings } from './options';
import type { SoakProcessor } from './processor';
import type { Sampler, SoakSample } from './sample';

export type WatchResult = {
  samples: SoakSample[];
  load: { offered: number; seconds: number; offeredPerSec: number };
  /** from the last event acknowledged by the broker to the processor's commit of it */
  catchUpSeconds: number;
  /** set when the run cannot succeed; the samples so far are still returned */
  fatal?: string;
};

/** While the load runs the loop wakes once per sample; afterwards every this often, to time the catch-up. */
const CATCH_UP_POLL_MS = 250;

export async function watchSoak(opts: {
  settings: SoakSettings;
  kafka: Kafka;
  registry: SchemaRegistry;
  inputTopic: string;
  processor: SoakProcessor;
  sampler: Sampler;
  startedAt: number;
  deadline: number;
  /** aborted from outside (Ctrl-C): ends the run as a failure */
  signal: AbortSignal;
  onSample: (s: SoakSample, previous: SoakSample | undefined) => void;
}): Promise<WatchResult> {
  const { settings, processor, sampler } = opts;
  const stopLoad = new AbortController();
  let offered = 0;
  let loadStats: SimulatorStats | undefined;
  let loadError: unknown;
  let loadEndedAt = 0;
  const load = runSimulator({
    kafka: opts.kafka,
    registry: opts.registry,
    topic: opts.inputTopic,
    rate: settings.rate,
    count: settings.events,
    seed: settings.seed,
    poisonRatio: settings.poisonRatio,
    signal: stopLoad.signal,
    onProgress: (s) => (offered = s.produced),
  }).then(
    (s) => {
      loadStats = s;
      offered = s.produced;
      loadEndedAt = Date.now();
    },
    (err: unknown) => (loadError = err),
  );

  const samples: SoakSample[] = [];
  const sampleMs = settings.sampleSeconds * 1000;
  let nextSampleAt = opts.startedAt + sampleMs;
  const result = (fatal?: string): WatchResult => {
    const seconds = loadStats ? loadStats.elapsedMs / 1000 : (Date.now() - opts.startedAt) / 1000;
    return {
      samples,
      load: { offered, seconds, offeredPerSec: offered / seconds },
      catchUpSeconds: loadEndedAt ? (Date.now() - loadEndedAt) / 1000 : NaN,
      ...(fatal ? { fatal } : {}),
    };
  };
  const fail = async (why: string) => {
    stopLoad.abort();
    await load;
    return result(why);
  };

  for (;;) {
    const until = loadStats ? Math.min(nextSampleAt, Date.now() + CATCH_UP_POLL_MS) : nextSampleAt;
    const nap = sleep(Math.max(0, until - Date.now()));
    // wake early when the load ends, so the catch-up is timed from its real end
    await (loadStats ? nap : Promise.race([nap, load]));

    if (opts.signal.aborted) return fail('interrupted');
    const exit = processor.exit();
    if (exit)
      return fail(
        `the processor exited (code ${exit.code}, signal ${exit.signal}) under load:\n${processor.output()}`,
      );
    if (loadError) return fail(`the load generator failed: ${String(loadError)}`);
    if (Date.now() > opts.deadline)
      return fail(`deadline: the run took more than ${settings.deadlineSeconds} s (--deadline-seconds)`);

    if (Date.now() >= nextSampleAt) {
      let s: SoakSample;
      try {
        s = await sampler.take(loadStats ? 'catch-up' : 'load', offered);
      } catch (err) {
        // /proc/<pid> vanishes when the processor dies between the check above and the read
        if (processor.exit()) continue;
        throw err;
      }
      opts.onSample(s, samples[samples.length - 1]);
      samples.push(s);
      // a missed tick (a stalled machine) is skipped, not made up with a burst of samples
      while (nextSampleAt <= Date.now()) nextSampleAt += sampleMs;
      const limit = settings.rate * settings.maxLagSeconds;
      if (s.lag > limit)
        return fail(
          `the processor fell behind: consumer lag ${s.lag} records > ${Math.round(limit)} ` +
            `(${settings.maxLagSeconds} s of load, --max-lag-seconds)`,
        );
    }
    if (loadStats) {
      if ((await sampler.lag()) === 0) {
        const done = result();
        // one last sample, so the record ends with the processor at rest
        const s = await sampler.take('catch-up', offered);
        opts.onSample(s, samples[samples.length - 1]);
        samples.push(s);
        return done;
      }
      if (Date.now() - loadEndedAt > settings.catchUpSeconds * 1000)
        return fail(
          `the processor did not catch up within ${settings.catchUpSeconds} s of the last event (--catch-up-seconds)`,
        );
    }
  }
}

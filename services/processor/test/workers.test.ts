import { EventEmitter } from 'node:events';
import { createLogger } from '@sipflow/telemetry';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { processorConfigFromEnv } from '../src/config';
import { MAX_WORKERS, resolveWorkerCount, workerTransactionalId } from '../src/worker-count';
import type { ToWorker } from '../src/worker-messages';
import { startWorkerPool, type WorkerHandle } from '../src/worker-pool';

describe('PROCESSOR_WORKERS', () => {
  it('defaults to auto, and takes a number from 1 to the maximum', () => {
    expect(processorConfigFromEnv({}).workers).toBe('auto');
    expect(processorConfigFromEnv({ PROCESSOR_WORKERS: '1' }).workers).toBe(1);
    expect(processorConfigFromEnv({ PROCESSOR_WORKERS: String(MAX_WORKERS) }).workers).toBe(MAX_WORKERS);
  });

  it.each(['0', '-2', '1.5', 'many', String(MAX_WORKERS + 1)])(
    'stops start-up on %s, naming the variable',
    (v) => {
      expect(() => processorConfigFromEnv({ PROCESSOR_WORKERS: v })).toThrow(
        new RegExp(`^invalid PROCESSOR_WORKERS=${JSON.stringify(v).replace(/[.+]/g, '\\$&')}: `),
      );
    },
  );

  it('auto: one per core, never more than the input has partitions', () => {
    expect(resolveWorkerCount('auto', { cpus: 16, partitions: 12 })).toBe(12);
    expect(resolveWorkerCount('auto', { cpus: 2, partitions: 12 })).toBe(2);
    expect(resolveWorkerCount('auto', { cpus: 1, partitions: 12 })).toBe(1);
    expect(resolveWorkerCount('auto', { cpus: 512, partitions: 1000 })).toBe(MAX_WORKERS);
    expect(resolveWorkerCount('auto', { cpus: 8, partitions: 0 })).toBe(1);
    expect(resolveWorkerCount(5, { cpus: 2, partitions: 3 })).toBe(5);
  });

  it('gives each worker its own stable transactional id; one process keeps TRANSACTIONAL_ID', () => {
    expect(workerTransactionalId('sipflow-processor-host', undefined)).toBe('sipflow-processor-host');
    expect(workerTransactionalId('sipflow-processor-host', 0)).toBe('sipflow-processor-host-0');
    const env = { PROCESSOR_WORKERS: '4', TRANSACTIONAL_ID: 'tx', SIPFLOW_WORKER_INDEX: '3' };
    expect(processorConfigFromEnv(env)).toMatchObject({ transactionalId: 'tx-3', workerIndex: 3 });
    expect(processorConfigFromEnv({ TRANSACTIONAL_ID: 'tx' })).toMatchObject({
      transactionalId: 'tx',
      workerIndex: undefined,
    });
    expect(() => processorConfigFromEnv({ SIPFLOW_WORKER_INDEX: '64' })).toThrow(
      /^invalid SIPFLOW_WORKER_INDEX="64"/,
    );
  });
});

/** A worker process as the pool sees it, driven by the test. */
class TestWorker extends EventEmitter implements WorkerHandle {
  sent: ToWorker[] = [];
  killed: string[] = [];
  constructor(readonly index: number) {
    super();
  }
  send = (m: ToWorker) => {
    this.sent.push(m);
  };
  onMessage = (l: (m: unknown) => void) => void this.on('message', l);
  onExit = (l: (code: number | null, signal: string | null) => void) => void this.once('exit', l);
  kill = (signal: NodeJS.Signals) => {
    this.killed.push(signal);
    this.emit('exit', null, signal);
  };
  started = () => this.emit('message', { sipflow: 'started' });
  exit = (code: number) => this.emit('exit', code, null);
}

describe('startWorkerPool', () => {
  const logger = createLogger({ level: 'silent', name: 'test' });
  let spawned: TestWorker[];
  const spawn = (index: number) => {
    const w = new TestWorker(index);
    spawned.push(w);
    return w;
  };
  beforeEach(() => {
    spawned = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('starts N workers with indexes 0..N-1 and resolves started once all have started', async () => {
    const pool = startWorkerPool({ workers: 3, spawn, logger });
    expect(spawned.map((w) => w.index)).toEqual([0, 1, 2]);
    let started = false;
    void pool.started.then(() => (started = true));
    spawned[0]!.started();
    spawned[1]!.started();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toBe(false);
    spawned[2]!.started();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toBe(true);
    expect(pool.running()).toBe(3);
  });

  it('restarts a crashed worker under the same index, with a growing capped backoff', async () => {
    const restarts: number[] = [];
    startWorkerPool({
      workers: 2,
      spawn,
      logger,
      onRestart: (i) => restarts.push(i),
      backoff: { baseMs: 1000, capMs: 4000 },
      stableAfterMs: 60_000,
    });
    spawned.forEach((w) => w.started());
    const delays: number[] = [];
    for (let crash = 0; crash < 4; crash++) {
      const before = spawned.length;
      spawned.at(-1)!.exit(1);
      let waited = 0;
      while (spawned.length === before) {
        await vi.advanceTimersByTimeAsync(250);
        waited += 250;
      }
      delays.push(waited);
      expect(spawned.at(-1)!.index).toBe(1);
    }
    expect(delays).toEqual([1000, 2000, 4000, 4000]);
    expect(restarts).toEqual([1, 1, 1, 1]);
  });

  it('starts the backoff again for a worker that ran long enough before it crashed', async () => {
    startWorkerPool({
      workers: 1,
      spawn,
      logger,
      backoff: { baseMs: 1000, capMs: 30_000 },
      stableAfterMs: 10_000,
    });
    spawned[0]!.started();
    spawned[0]!.exit(1);
    await vi.advanceTimersByTimeAsync(1000);
    spawned[1]!.exit(1); // at once: the backoff doubles
    await vi.advanceTimersByTimeAsync(1999);
    expect(spawned).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(spawned).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(10_000);
    spawned[2]!.exit(1); // after a stable run: back to the first delay
    await vi.advanceTimersByTimeAsync(1000);
    expect(spawned).toHaveLength(4);
  });

  it('fails start-up when a worker exits before it ever started, and restarts nothing', async () => {
    const pool = startWorkerPool({ workers: 2, spawn, logger });
    spawned[0]!.started();
    spawned[1]!.exit(78);
    await expect(pool.started).rejects.toEqual({ index: 1, code: 78, signal: null });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(spawned).toHaveLength(2);
  });

  it('is ready only when every worker says it is; a silent or restarting worker is not', async () => {
    const pool = startWorkerPool({ workers: 2, spawn, logger, readyTimeoutMs: 1000 });
    spawned.forEach((w) => w.started());
    const answer = (w: TestWorker, ready: boolean) => {
      const ask = w.sent.filter((m) => m.sipflow === 'readyz').at(-1) as { id: number };
      w.emit('message', {
        sipflow: 'readyz',
        id: ask.id,
        report: {
          ready,
          checks: { consumerGroup: { ok: ready, detail: ready ? 'member' : 'not in the group' } },
        },
      });
    };
    let report = pool.readiness();
    answer(spawned[0]!, true);
    answer(spawned[1]!, true);
    expect(await report).toMatchObject({
      ready: true,
      checks: { workers: { ok: true, detail: '2 of 2 ready' } },
    });

    report = pool.readiness();
    answer(spawned[0]!, true);
    answer(spawned[1]!, false);
    expect(await report).toMatchObject({
      ready: false,
      checks: {
        workers: { detail: '1 of 2 ready' },
        worker1: { ok: false, detail: 'consumerGroup: not in the group' },
      },
    });

    report = pool.readiness();
    answer(spawned[0]!, true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await report).toMatchObject({
      ready: false,
      checks: { worker1: { detail: 'process: no answer' } },
    });

    spawned[1]!.exit(1);
    report = pool.readiness();
    answer(spawned[0]!, true);
    expect(await report).toMatchObject({
      ready: false,
      checks: { worker1: { detail: 'process: restarting' } },
    });
  });

  it('stop asks every worker to stop, restarts none, and kills what outlives the deadline', async () => {
    const pool = startWorkerPool({ workers: 2, spawn, logger });
    spawned.forEach((w) => w.started());
    spawned[1]!.exit(1); // crashed just before the stop: its restart must not happen
    let stopped = false;
    const stopping = pool.stop(5000).then(() => (stopped = true));
    expect(spawned[0]!.sent).toContainEqual({ sipflow: 'stop' });
    await vi.advanceTimersByTimeAsync(4999);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(spawned[0]!.killed).toEqual(['SIGKILL']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(spawned).toHaveLength(2);
  });
});

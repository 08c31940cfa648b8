import '../src/kafkajs-patches';
import { describe, expect, it, vi } from 'vitest';
// kafkajs' own request queue, as every connection uses it
import RequestQueue from 'kafkajs/src/network/requestQueue/index.js';
import { withWriteGuard } from '../src/kafkajs-write-guard';

type Queue = {
  push(request: unknown): void;
  inflight: Map<number, unknown>;
  pending: unknown[];
};

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const newQueue = (maxInFlightRequests = 1) =>
  new (RequestQueue as unknown as new (opts: object) => Queue)({
    maxInFlightRequests,
    requestTimeout: 30_000,
    enforceRequestTimeout: true,
    clientId: 'test',
    broker: 'b:9092',
    logger: silent,
  });

let correlationId = 0;
/** A request as kafkajs' connection pushes it; `written` is its socket write (the guard wraps it). */
function request(apiKey = 0 /* Produce */) {
  const entry = { correlationId: correlationId++, apiKey, resolve: vi.fn(), reject: vi.fn() };
  const written = vi.fn();
  return { entry, expectResponse: true, sendRequest: written, written };
}

describe('the write guard on kafkajs request queue', () => {
  it('sends as kafkajs does outside a guard, and inside one whose check passes', async () => {
    const queue = newQueue(5);
    const plain = request();
    queue.push(plain);
    const passed = request();
    await withWriteGuard(
      () => undefined,
      async () => queue.push(passed),
    );
    expect(plain.written).toHaveBeenCalledOnce();
    expect(passed.written).toHaveBeenCalledOnce();
    expect(queue.inflight.size).toBe(2);
  });

  it('refuses the write the check refuses: nothing sent, the caller rejected with a non-retriable error, the slot freed', async () => {
    const queue = newQueue(1);
    const refused = request();
    await withWriteGuard(
      () => new Error('frozen'),
      async () => queue.push(refused),
    );
    expect(refused.written).not.toHaveBeenCalled();
    expect(refused.entry.reject).toHaveBeenCalledOnce();
    const err = refused.entry.reject.mock.calls[0]![0] as Error & { retriable: boolean; cause: Error };
    expect(err.name).toBe('KafkaJSNonRetriableError');
    expect(err.retriable).toBe(false);
    expect(err.cause.message).toBe('frozen');
    expect(queue.inflight.size).toBe(0);
    // the connection is not left waiting for a response that will never come
    const next = request();
    queue.push(next);
    expect(next.written).toHaveBeenCalledOnce();
  });

  it('lets every request but Produce through: the heartbeat that would confirm the member among them', async () => {
    const queue = newQueue(5);
    const heartbeat = request(12);
    const metadata = request(3);
    await withWriteGuard(
      () => new Error('frozen'),
      async () => {
        queue.push(heartbeat);
        queue.push(metadata);
      },
    );
    expect(heartbeat.written).toHaveBeenCalledOnce();
    expect(metadata.written).toHaveBeenCalledOnce();
  });

  it('checks when the request is written, not when it is queued: a request that waited its turn is checked then', async () => {
    const queue = newQueue(1);
    const first = request();
    queue.push(first);
    let frozen = false;
    const waiting = request();
    await withWriteGuard(
      () => (frozen ? new Error('frozen while queued') : undefined),
      async () => queue.push(waiting),
    );
    expect(queue.pending.length).toBe(1);
    frozen = true;
    // the first request's response frees the slot: kafkajs sends the waiting one
    (queue as unknown as { fulfillRequest(r: object): void }).fulfillRequest({
      correlationId: first.entry.correlationId,
      size: 0,
      payload: Buffer.alloc(0),
    });
    await vi.waitFor(() => expect(waiting.entry.reject).toHaveBeenCalledOnce());
    expect(waiting.written).not.toHaveBeenCalled();
  });
});

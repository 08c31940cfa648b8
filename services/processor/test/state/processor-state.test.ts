import { eventKey, recordAttempt } from '@sipflow/rules';
import { createProcessorMetrics } from '@sipflow/telemetry';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ProcessorState } from '../../src/state/processor-state';

const T0 = Date.parse('2026-06-10T14:00:00Z');

/** A state whose partitions 0–2 are loaded, as after a restore at generation 5. */
function loadedState() {
  // assignedPartitions and invalidate touch the store, the metrics and the log only
  const state = new ProcessorState({
    kafka: undefined as never,
    admin: undefined as never,
    topics: { repartition: 'r', changelog: 'c' },
    stateTopic: 'r',
    groupId: 'g',
    metrics: createProcessorMetrics(new Registry(), { defaultMetrics: false }).state,
    logger: pino({ level: 'silent' }),
  });
  state.assignedPartitions([0, 1, 2], 5);
  for (const p of [0, 1, 2]) {
    const table = state.store.newTable();
    table.value(
      `+1305555010${p}`,
      recordAttempt([], { at: T0, eventKey: eventKey(`e${p}`), unanswered: true }, 1),
    );
    state.store.load(p, table);
  }
  return state;
}

const loaded = (state: ProcessorState) => [0, 1, 2, 3].filter((p) => state.store.isLoaded(p));

describe('ProcessorState across rebalances', () => {
  it('keeps the partitions it held in the generation just before, drops the revoked ones', () => {
    const state = loadedState();
    state.assignedPartitions([1, 2, 3], 6);
    expect(loaded(state)).toEqual([1, 2]);
  });

  it('throws everything away after a gap in generations: another member may have written meanwhile', () => {
    // a member paused past its session timeout: the group went on to 6 without it, it re-joins in 7
    const state = loadedState();
    state.assignedPartitions([0, 1, 2], 7);
    expect(loaded(state)).toEqual([]);
  });

  it('throws everything away when the client does not report the generation', () => {
    const state = loadedState();
    state.assignedPartitions([0, 1, 2]);
    expect(loaded(state)).toEqual([]);
  });

  it('invalidate: a batch that wrote but could not apply has its partition restored again', () => {
    const state = loadedState();
    const epoch = state.store.epoch(1);
    state.invalidate(1);
    expect(loaded(state)).toEqual([0, 2]);
    // a restore that began before reads this epoch and leaves the partition for a later one
    expect(state.store.epoch(1)).toBe(epoch + 1);
  });
});

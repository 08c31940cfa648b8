import { eventKey, recordAttempt, type NumberHistory } from '@sipflow/rules';
import { describe, expect, it } from 'vitest';
import { encodeJsonHistory } from '../../src/state/history-codec';
import { NumberStateStore } from '../../src/state/number-state-store';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-06-10T14:00:00Z');
const call = (history: NumberHistory, at: number, eventId: string) =>
  recordAttempt(history, { at, eventKey: eventKey(eventId), unanswered: true }, 48 * HOUR);
/** the calls of a history, by the eventIds they were recorded with */
const keysOf = (history: NumberHistory) => history.map((e) => e.eventKey);
const ids = (...eventIds: string[]) => eventIds.map(eventKey);
/** a partition's table holding these numbers */
const table = (store: NumberStateStore, numbers: [string, NumberHistory][] = []) => {
  const loader = store.newTable();
  for (const [phoneNumber, history] of numbers) loader.value(phoneNumber, history);
  return loader;
};
/** a changelog value read back as a restore reads it */
const restored = (value: Buffer, where = 'test') => {
  const store = new NumberStateStore();
  const loader = store.newTable();
  loader.record('+13055550100', value, where);
  store.load(0, loader);
  return store.stage(0).get('+13055550100');
};

describe('NumberStateStore', () => {
  it('a batch reads its own writes, but the store sees them only once applied', () => {
    const store = new NumberStateStore();
    store.load(0, table(store, [['+13055550100', call([], T0, 'a')]]));
    const batch = store.stage(0);
    batch.set('+13055550100', call(batch.get('+13055550100'), T0 + HOUR, 'b'));
    expect(keysOf(batch.get('+13055550100'))).toEqual(ids('a', 'b'));
    // a second view, as a redelivered batch would take before the first is committed
    expect(keysOf(store.stage(0).get('+13055550100'))).toEqual(ids('a'));
    store.apply(batch);
    expect(keysOf(store.stage(0).get('+13055550100'))).toEqual(ids('a', 'b'));
    expect(store.stage(0).get('+13055550100')).toEqual(call(call([], T0, 'a'), T0 + HOUR, 'b'));
  });

  it('writes one changelog record per changed number, on the partition of the state', () => {
    const store = new NumberStateStore();
    store.load(2, table(store));
    const batch = store.stage(2);
    batch.set('+13055550100', call([], T0, 'a'));
    batch.set('+13055550100', call(batch.get('+13055550100'), T0 + 1, 'b'));
    batch.set('+14155550100', call([], T0, 'c'));
    const records = store.changelogMessages(batch);
    expect(records.map((m) => [m.key, m.partition])).toEqual([
      ['+13055550100', 2],
      ['+14155550100', 2],
    ]);
    expect(keysOf(restored(records[0]!.value as Buffer))).toEqual(ids('a', 'b'));
    // version 2: a 4-byte header and three words a call
    expect(records[0]!.value!.length).toBe(4 + 2 * 12);
  });

  it('expires numbers whose calls are all older than the kept window (tombstones), once stream time moved', () => {
    const store = new NumberStateStore(HOUR);
    store.load(0, table(store, [['+13055550100', call([], T0, 'old')]]));
    // stream time moves 49 h on with another number's call: the old number is past 48 h
    const batch = store.stage(0);
    batch.set('+14155550100', call([], T0 + 49 * HOUR, 'new'));
    store.expire(batch, 48 * HOUR);
    const records = store.changelogMessages(batch);
    expect(records.find((m) => m.key === '+13055550100')?.value).toBeNull();
    store.apply(batch);
    expect(store.size()).toBe(1);
  });

  it('does not scan for expired numbers before stream time moved by the sweep interval', () => {
    const store = new NumberStateStore(HOUR);
    store.load(0, table(store, [['+13055550100', call([], T0, 'old')]]));
    const batch = store.stage(0);
    batch.set('+14155550100', call([], T0 + 30 * 60_000, 'new'));
    store.expire(batch, 1); // everything would be expired, but the sweep is not due
    expect(store.changelogMessages(batch).some((m) => m.value === null)).toBe(false);
  });

  it('drops partitions no longer assigned, and ignores a batch of one committed after its partition went', () => {
    const store = new NumberStateStore();
    store.load(0, table(store, [['+13055550100', call([], T0, 'a')]]));
    store.load(1, table(store));
    const late = store.stage(0);
    late.set('+13055550100', call(late.get('+13055550100'), T0 + 1, 'b'));
    expect(store.retainOnly(new Set([1]))).toEqual([0]);
    expect(store.isLoaded(0)).toBe(false);
    store.apply(late);
    expect(store.isLoaded(0)).toBe(false);
    expect(() => store.stage(0)).toThrow(/not restored/);
  });
});

describe('the changelog value', () => {
  it('round-trips a history, reads version 1 (JSON) too, and refuses what it did not write, naming the record', () => {
    const history = call(call([], T0, 'a'), T0 + HOUR, 'b');
    const store = new NumberStateStore();
    store.load(0, table(store));
    const batch = store.stage(0);
    batch.set('+13055550100', history);
    expect(restored(store.changelogMessages(batch)[0]!.value!)).toEqual(history);
    const json = encodeJsonHistory([
      { at: T0, eventId: 'a', unanswered: true },
      { at: T0 + HOUR, eventId: 'b', unanswered: true },
    ]);
    expect(restored(json)).toEqual(history);
    expect(() => restored(Buffer.from('{nope'), 'cl/0/7')).toThrow(/cl\/0\/7.*not JSON/);
    expect(() => restored(Buffer.from('{"v":9,"a":[]}'), 'cl/0/8')).toThrow(/unknown version 9/);
    expect(() => restored(Buffer.from('{"v":1,"a":[[1]]}'), 'cl/0/9')).toThrow(/an entry/);
    expect(() => restored(Buffer.from([3, 0, 0, 0]), 'cl/0/10')).toThrow(/cl\/0\/10.*unknown version 3/);
    expect(() => restored(Buffer.from([2, 0, 0, 0, 1, 0, 0, 0]), 'cl/0/11')).toThrow(
      /not a whole number of calls/,
    );
  });

  it('a partition thrown away (revoked or invalidated) changes epoch, so a restore begun before it cannot load it', () => {
    const store = new NumberStateStore();
    store.load(0, table(store));
    store.load(1, table(store));
    const [e0, e1] = [store.epoch(0), store.epoch(1)];
    store.retainOnly(new Set([1]));
    store.invalidate(1);
    expect([store.isLoaded(0), store.isLoaded(1)]).toEqual([false, false]);
    expect([store.epoch(0), store.epoch(1)]).toEqual([e0 + 1, e1 + 1]);
  });
});

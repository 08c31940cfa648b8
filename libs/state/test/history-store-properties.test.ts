import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classify,
  defaultRules,
  EMPTY_HISTORY,
  eventKey,
  historyKeepMs,
  isExpired,
  recordAttempt,
  type NumberHistory,
} from '@sipflow/rules';
import { attempt } from '../../../test/support/call-attempt';
import { e164Key, historyWords, KeyedStateStore, type ChangelogRecord } from '../src';

const HOUR = 3_600_000;
const RULES = defaultRules();
const KEEP = historyKeepMs(RULES.stateWindowMs);
const FROM = Date.parse('2026-10-25T12:00:00Z');
const NUMBERS = ['+13055550100', '+13055550101', '+14155550100', '+442079460000'];

const newStore = (sweepEveryMs = HOUR) =>
  new KeyedStateStore<NumberHistory>({
    keys: e164Key,
    values: historyWords,
    empty: EMPTY_HISTORY,
    sweepEveryMs,
  });

/** A call: one of a few numbers, some at the same millisecond, some eventIds repeated (redelivery). */
const call = fc.record({
  number: fc.integer({ min: 0, max: NUMBERS.length - 1 }),
  // minutes over three days, so windows slide and numbers expire; a few exact ties
  at: fc.oneof(
    fc.integer({ min: 0, max: 3 * 24 * 60 }).map((m) => FROM + m * 60_000),
    fc.constant(FROM),
  ),
  id: fc.integer({ min: 0, max: 60 }),
  unanswered: fc.boolean(),
});
/** A batch of calls, committed or not (a failed batch's changes are never applied). */
const batch = fc.record({ calls: fc.array(call, { maxLength: 12 }), committed: fc.boolean() });

describe('the compact per-number store against the history functions', () => {
  it('holds exactly the histories recordAttempt builds, through batches, failures, expiry and a restore from its changelog', () => {
    fc.assert(
      fc.property(fc.array(batch, { maxLength: 40 }), (batches) => {
        const store = newStore();
        store.load(0, store.newTable());
        const model = new Map<string, NumberHistory>();
        const changelog: ChangelogRecord[] = [];
        let streamTime = 0;
        for (const b of batches) {
          const staged = store.stage(0);
          const pending = new Map(model);
          for (const c of b.calls) {
            const phoneNumber = NUMBERS[c.number]!;
            const entry = { at: c.at, eventKey: eventKey(`e-${c.id}`), unanswered: c.unanswered };
            // what the batch reads is what the model holds, this batch's writes included
            expect(staged.get(phoneNumber)).toEqual(pending.get(phoneNumber) ?? EMPTY_HISTORY);
            const next = recordAttempt(staged.get(phoneNumber), entry, KEEP);
            staged.set(phoneNumber, next);
            pending.set(phoneNumber, next);
          }
          store.expire(staged, KEEP);
          // a number the store expires must hold nothing a window could still count
          for (const [phoneNumber, value] of staged.changes) {
            if (value !== null) continue;
            const latest = Math.max(
              streamTime,
              ...[...staged.changes.values()].map((v) => v?.at(-1)?.at ?? 0),
            );
            expect(isExpired(pending.get(phoneNumber) ?? EMPTY_HISTORY, latest, KEEP)).toBe(true);
            pending.delete(phoneNumber);
          }
          if (!b.committed) continue;
          changelog.push(...store.changelogMessages(staged));
          store.apply(staged);
          model.clear();
          for (const [k, v] of pending) model.set(k, v);
          for (const v of pending.values()) streamTime = Math.max(streamTime, v.at(-1)?.at ?? 0);
        }
        const view = store.stage(0);
        for (const phoneNumber of NUMBERS)
          expect(view.get(phoneNumber)).toEqual(model.get(phoneNumber) ?? EMPTY_HISTORY);
        // the changelog, read back the way a restore reads it, gives the same state
        const restored = newStore();
        const loader = restored.newTable();
        changelog.forEach((r, i) => loader.record(r.key, r.value, `cl/0/${i}`));
        restored.load(0, loader);
        const again = restored.stage(0);
        for (const phoneNumber of NUMBERS) expect(again.get(phoneNumber)).toEqual(view.get(phoneNumber));
      }),
      { numRuns: 300 },
    );
  });

  it('classify decides the same on the compact store as on the histories it was given', () => {
    fc.assert(
      fc.property(
        fc.array(call, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 480, max: 486 }).filter((c) => c === 480 || c === 486),
        (calls, sipCode) => {
          const store = newStore();
          store.load(0, store.newTable());
          let reference: NumberHistory = EMPTY_HISTORY;
          for (const c of calls) {
            const staged = store.stage(0);
            const event = attempt({
              eventId: `e-${c.id}`,
              phoneNumber: '+13055550100',
              leadRegion: 'US-FL',
              leadTimezone: 'America/New_York',
              sipCode,
              startedAt: c.at,
              endedAt: c.at + 30_000,
            });
            const fromStore = classify(event, RULES, staged.get('+13055550100'));
            expect(fromStore).toEqual(classify(event, RULES, reference));
            const entry = { at: c.at, eventKey: eventKey(event.eventId), unanswered: c.unanswered };
            reference = recordAttempt(reference, entry, KEEP);
            staged.set('+13055550100', recordAttempt(staged.get('+13055550100'), entry, KEEP));
            store.apply(staged);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('packs a call into three words: keys of 47 bits, times up to the year 9999, the flag', () => {
    const history: NumberHistory = [
      { at: 0, eventKey: 0, unanswered: false },
      { at: 253_402_300_799_999, eventKey: 2 ** 47 - 1, unanswered: true },
    ];
    const words = new Uint32Array(historyWords.words(history));
    expect(words.length).toBe(6);
    historyWords.write(history, words, 0);
    expect(historyWords.read(words, 0, words.length)).toEqual(history);
    expect(historyWords.latestIn(words, 0, words.length)).toBe(253_402_300_799_999);
    expect(eventKey('x')).toBeLessThan(2 ** 47);
  });
});

import { formatOutcome, type Classified, type Outcome } from '@sipflow/pipeline';

/** One kind of change: the outcome recorded then → the outcome the replay gives now (as `formatOutcome` prints them). */
export type Transition = { from: string; to: string; count: number; examples: string[] };

export type DiffReport = {
  /** window events that had a recorded (non-replay) enriched record */
  compared: number;
  unchanged: number;
  changed: number;
  /** window events with no recorded enriched record (not processed yet, or sent to the DLQ) */
  notRecorded: number;
  /** most frequent first */
  transitions: Transition[];
  /**
   * Retries that keep their outcome but not their time: what a calling-window or profile change
   * does. Grouped by the window that now sets the time (`retryMovedBy`, or "no window").
   */
  retryTimes: { changed: number; byWindow: Transition[] };
};

type Expected = { outcome: Outcome; retryAt: number | null; movedBy: string | null };

/**
 * Compares what the enriched topic recorded with what a replay would produce, event by event.
 * The replay's outcome is kept per event id (outcomes are interned by the pipeline: one shared
 * object per outcome), then each recorded outcome is compared once, by identity; later
 * duplicates of an event are ignored.
 */
export class OutcomeDiff {
  private readonly pending = new Map<string, Expected>();
  private readonly transitions = new Map<string, Transition>();
  private readonly retryWindows = new Map<string, Transition>();
  private retryTimesChanged = 0;
  private compared = 0;
  private unchanged = 0;

  constructor(private readonly maxExamples = 3) {}

  /** The replay's outcome for an event; the first one seen wins (a duplicate input record changes nothing). */
  expect(
    eventId: string,
    outcome: Outcome,
    retryAt: number | null = null,
    movedBy: string | null = null,
  ): void {
    if (!this.pending.has(eventId)) this.pending.set(eventId, { outcome, retryAt, movedBy });
  }

  /** Whether an event of the window still waits for its recorded outcome. */
  awaits(eventId: string): boolean {
    return this.pending.has(eventId);
  }

  get waiting(): number {
    return this.pending.size;
  }

  /** The outcome the enriched topic recorded for an event. */
  recorded(eventId: string, outcome: Classified, retryAt: number | null = null): void {
    const expected = this.pending.get(eventId);
    if (expected === undefined) return;
    this.pending.delete(eventId);
    this.compared++;
    const now = expected.outcome;
    if (now === outcome) {
      this.unchanged++;
      if (expected.retryAt !== retryAt) this.retryTimeChanged(eventId, expected.movedBy);
      return;
    }
    const from = formatOutcome(outcome);
    const to = formatOutcome(now);
    const key = `${from}\u0000${to}`;
    let t = this.transitions.get(key);
    if (!t) this.transitions.set(key, (t = { from, to, count: 0, examples: [] }));
    t.count++;
    if (t.examples.length < this.maxExamples) t.examples.push(eventId);
  }

  private retryTimeChanged(eventId: string, movedBy: string | null): void {
    this.retryTimesChanged++;
    const window = movedBy ?? 'no window';
    let t = this.retryWindows.get(window);
    if (!t) this.retryWindows.set(window, (t = { from: 'RETRY', to: window, count: 0, examples: [] }));
    t.count++;
    if (t.examples.length < this.maxExamples) t.examples.push(eventId);
  }

  report(): DiffReport {
    const transitions = [...this.transitions.values()].sort(
      (a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
    );
    return {
      compared: this.compared,
      unchanged: this.unchanged,
      changed: this.compared - this.unchanged,
      notRecorded: this.pending.size,
      transitions,
      retryTimes: {
        changed: this.retryTimesChanged,
        byWindow: [...this.retryWindows.values()].sort(
          (a, b) => b.count - a.count || a.to.localeCompare(b.to),
        ),
      },
    };
  }
}

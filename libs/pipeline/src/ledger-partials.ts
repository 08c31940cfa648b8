import { SipflowError } from '@sipflow/errors';
import {
  LEDGER_COUNT_FIELDS,
  LedgerBook,
  type AbandonmentPolicy,
  type CallAttempt,
  type LedgerCounts,
  type LedgerPartial,
} from '@sipflow/rules';
import type { OutputRecord } from './records';

/**
 * The classify stage's side of the abandoned-call ledger: what one batch counted in each group's
 * period, one record per group and period, keyed by group so that every period of a group is
 * added up by one member (ledger-stage.ts). Written with the batch's outputs (in its transaction
 * under exactly-once), so each call is counted once with them. The value is versioned JSON: an
 * internal record, read only by sipflow.
 */
export class LedgerPartials {
  private readonly book: LedgerBook;

  constructor(policy: AbandonmentPolicy) {
    this.book = new LedgerBook(policy);
  }

  add(event: CallAttempt): void {
    this.book.add(event);
  }

  messages(): OutputRecord[] {
    const out: OutputRecord[] = [];
    for (const p of this.book.ledgers()) {
      // the counts as a list in LEDGER_COUNT_FIELDS order: a third of the bytes of named counts
      const value = JSON.stringify({
        v: 1,
        group: p.group,
        period: p.period,
        fromMs: p.fromMs,
        toMs: p.toMs,
        configured: p.configured,
        counts: LEDGER_COUNT_FIELDS.map((f) => p.counts[f]),
        firstCallAt: p.firstCallAt,
        lastCallAt: p.lastCallAt,
      });
      out.push({ key: p.group, value: Buffer.from(value), headers: {} });
    }
    return out;
  }
}

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
const isTime = (n: unknown): n is number => Number.isFinite(n);

/** A partial record's value, checked field by field; SIPFLOW_INVALID_FIELD names the first wrong one. */
export function decodePartial(value: Buffer | null): LedgerPartial {
  let raw: unknown;
  try {
    raw = JSON.parse(value?.toString('utf8') ?? 'null');
  } catch (err) {
    throw new SipflowError('SIPFLOW_INVALID_JSON', `ledger partial is not JSON: ${(err as Error).message}`);
  }
  const bad = (field: string, got: unknown) =>
    new SipflowError('SIPFLOW_INVALID_FIELD', `ledger partial: ${field} is ${JSON.stringify(got)}`, {
      field,
      value: got,
    });
  if (raw === null || typeof raw !== 'object') throw bad('(value)', raw);
  const r = raw as Record<string, unknown>;
  if (r.v !== 1) throw bad('v', r.v);
  if (typeof r.group !== 'string' || r.group.length === 0) throw bad('group', r.group);
  if (!Number.isSafeInteger(r.period)) throw bad('period', r.period);
  for (const f of ['fromMs', 'toMs', 'firstCallAt', 'lastCallAt']) if (!isTime(r[f])) throw bad(f, r[f]);
  if (typeof r.configured !== 'boolean') throw bad('configured', r.configured);
  const counts = r.counts;
  if (!Array.isArray(counts) || counts.length !== LEDGER_COUNT_FIELDS.length) throw bad('counts', counts);
  LEDGER_COUNT_FIELDS.forEach((f, i) => {
    if (!isCount(counts[i])) throw bad(`counts.${f}`, counts[i]);
  });
  return {
    group: r.group,
    period: r.period as number,
    fromMs: r.fromMs as number,
    toMs: r.toMs as number,
    configured: r.configured,
    counts: Object.fromEntries(LEDGER_COUNT_FIELDS.map((f, i) => [f, counts[i]])) as unknown as LedgerCounts,
    firstCallAt: r.firstCallAt as number,
    lastCallAt: r.lastCallAt as number,
  };
}

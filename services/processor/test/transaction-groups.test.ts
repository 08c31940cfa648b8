import { describe, expect, it } from 'vitest';
import { transactionGroups } from '../src/transaction-groups';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** A committer whose transactions are logged and take a tick; `fail` names entries whose transaction fails. */
function committer(opts: { writable?: (e: string) => boolean; fail?: string } = {}) {
  const transactions: string[][] = [];
  let open = 0;
  const submit = transactionGroups<string>({
    writable: opts.writable ?? (() => true),
    commit: async (entries) => {
      open++;
      expect(open, 'one transaction at a time').toBe(1);
      transactions.push(entries);
      await tick();
      open--;
      if (opts.fail !== undefined && entries.includes(opts.fail)) throw new Error(`tx of ${opts.fail}`);
    },
  });
  return { submit, transactions };
}

describe('transactionGroups (exactly-once group commit)', () => {
  it('starts a lone batch at once, and puts the batches that arrive meanwhile in the next transaction, in order', async () => {
    const { submit, transactions } = committer();
    const a = submit('a');
    await Promise.resolve();
    const rest = [submit('b'), submit('c')];
    expect(await Promise.all([a, ...rest])).toEqual([true, true, true]);
    expect(transactions).toEqual([['a'], ['b', 'c']]);
  });

  it('leaves out, unwritten, a batch that is no longer writable when its group starts', async () => {
    const revoked = new Set<string>();
    const { submit, transactions } = committer({ writable: (e) => !revoked.has(e) });
    const a = submit('a');
    const b = submit('b');
    const c = submit('c');
    revoked.add('b');
    expect(await Promise.all([a, b, c])).toEqual([true, false, true]);
    expect(transactions.flat()).toEqual(['a', 'c']);
  });

  it('fails every batch of a failed transaction with its error, and goes on with the next group', async () => {
    const { submit, transactions } = committer({ fail: 'b' });
    const a = submit('a');
    await Promise.resolve();
    const b = submit('b');
    const c = submit('c');
    await expect(a).resolves.toBe(true);
    await expect(b).rejects.toThrow('tx of b');
    await expect(c).rejects.toThrow('tx of b');
    expect(await submit('d')).toBe(true);
    expect(transactions).toEqual([['a'], ['b', 'c'], ['d']]);
  });
});

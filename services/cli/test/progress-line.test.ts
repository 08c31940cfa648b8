import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressLine } from '../src/progress-line';

describe('progressLine', () => {
  it('writes at most one line per interval, with the count, share and rate', () => {
    let t = 0;
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const update = progressLine('dlq redrive', { intervalMs: 2000, stream: out, now: () => t });
    t = 1000;
    update(100, 1000);
    t = 2000;
    update(200, 1000);
    t = 3000;
    update(300, 1000);
    t = 4000;
    update(1000, 5000);
    expect(text).toBe(
      'sipflow dlq redrive: 200/1,000 records (20 %), 100/s\nsipflow dlq redrive: 1,000/5,000 records (20 %), 250/s\n',
    );
  });
});

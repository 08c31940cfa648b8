import { describe, expect, it } from 'vitest';
import { onReloadSignal } from '../src/reload-signal';

describe('onReloadSignal', () => {
  it('calls the reload on SIGHUP (instead of Node ending the process) until removed', async () => {
    const listeners = process.listenerCount('SIGHUP');
    let reloads = 0;
    const off = onReloadSignal(() => reloads++);
    process.kill(process.pid, 'SIGHUP');
    await expect.poll(() => reloads).toBe(1);
    off();
    expect(process.listenerCount('SIGHUP')).toBe(listeners);
  });
});

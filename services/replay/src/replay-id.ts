import { randomBytes } from 'node:crypto';
import { invalidOption } from './errors';

/** Replay ids name checkpoint files and go into headers: keep them to a safe alphabet. */
const REPLAY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** `replay-20260301t101500z-3fa9c2`: sortable by start time, unique enough to never collide. */
export function generateReplayId(now = new Date(), random = randomBytes(3).toString('hex')): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'z')
    .replace(/[-:]/g, '')
    .toLowerCase();
  return `replay-${stamp}-${random}`;
}

export function validateReplayId(id: string): string {
  if (!REPLAY_ID.test(id))
    throw invalidOption('--replay-id', `"${id}" (letters, digits, ".", "_", "-"; at most 100)`);
  return id;
}

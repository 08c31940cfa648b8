import type { Kafka } from 'kafkajs';

/** Every consumer group of one replay starts with this. */
export const groupPrefix = (replayId: string) => `sipflow-replay-${replayId}`;

/**
 * A killed replay cannot leave its group: the group stays behind, without offsets, and empty once
 * the dead member's session (10 s) expires; the broker then drops it at its next clean-up. The
 * run that resumes the replay deletes it, before and after reading, if it is empty by then.
 */
export async function deleteLeftoverGroups(kafka: Kafka, replayId: string): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const { groups } = await admin.listGroups();
    const leftovers = groups.map((g) => g.groupId).filter((id) => id.startsWith(`${groupPrefix(replayId)}-`));
    if (leftovers.length > 0) await admin.deleteGroups(leftovers);
  } catch {
    // housekeeping only: a group that is still there expires by itself
  } finally {
    await admin.disconnect();
  }
}

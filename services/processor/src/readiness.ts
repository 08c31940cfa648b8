import type { ConnectionSettings } from '@sipflow/config';
import type { ReadinessReport } from '@sipflow/telemetry';

/** /readyz: a member of the consumer group, and the schema registry answering. */
export async function processorReadiness(
  conn: ConnectionSettings,
  groupId: string,
  joined: boolean,
  /** the per-number state is being restored: batches wait for it, so the member is not ready */
  restoringState = false,
): Promise<ReadinessReport> {
  const auth = conn.registry.auth;
  const registryOk = await fetch(`${conn.registry.url}/subjects`, {
    signal: AbortSignal.timeout(1000),
    headers: auth
      ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` }
      : {},
  })
    .then((r) => r.ok)
    .catch(() => false);
  return {
    ready: joined && registryOk && !restoringState,
    checks: {
      ...(restoringState
        ? { state: { ok: false, detail: 'restoring per-number state from the changelog' } }
        : {}),
      consumerGroup: { ok: joined, detail: joined ? `member of ${groupId}` : 'not in the group' },
      schemaRegistry: { ok: registryOk, ...(registryOk ? {} : { detail: 'not reachable' }) },
    },
  };
}

// first: sipflow's kafkajs patches must be in place before kafkajs loads
import '@sipflow/kafka/kafkajs-patches';
import { logLevel, type logCreator } from 'kafkajs';

/**
 * kafkajs' warnings and errors as plain lines on stderr, for a command a person runs. One warning
 * is dropped: kafkajs warns that an idempotent producer with a bounded retry budget "may
 * invalidate EoS guarantees" (a send that gives up may or may not have been written). The redrive
 * wants the bound (a broker that stays away ends the run instead of hanging it) and does not rely
 * on the producer for exactly once: a rerun reads the input topic for copies already written.
 */
export function commandLogCreator(label: string, stream: NodeJS.WritableStream = process.stderr): logCreator {
  return () =>
    ({ level, log }) => {
      if (level > logLevel.WARN) return;
      if (log.message.startsWith('Limiting retries for the idempotent producer')) return;
      const { message, error } = log as { message: string; error?: string };
      stream.write(`sipflow ${label}: kafka: ${message}${error ? ` (${error})` : ''}\n`);
    };
}

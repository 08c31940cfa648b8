import { isSipflowError, SipflowError } from '@sipflow/errors';
import { kafkaUnavailableError } from '@sipflow/kafka';

/**
 * The catalogue error a failed command stands for. sipflow codes its own failures where they
 * happen; two kinds come from libraries and get their code here, at the edge: commander's
 * InvalidArgumentError thrown from inside an action, and kafkajs giving up on every broker.
 * Anything else is uncoded: undefined, reported as SIPFLOW_INTERNAL_ERROR.
 */
export function codedError(err: unknown): SipflowError | undefined {
  if (isSipflowError(err)) return err;
  // by its code, not instanceof: a second copy of commander in the tree has its own class
  if ((err as { code?: unknown } | null)?.code === 'commander.invalidArgument') {
    return new SipflowError('SIPFLOW_INVALID_OPTION', (err as Error).message, {}, { cause: err });
  }
  return kafkaUnavailableError(err);
}

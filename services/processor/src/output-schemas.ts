import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { ConnectionSettings } from '@sipflow/config';
import { isSipflowError } from '@sipflow/errors';
import { registerOutputEncoders, type OutputEncoders, type Topics } from '@sipflow/pipeline';
import type { Logger } from 'pino';
import { explainRegistryAuthError, isRegistryAuthError } from './access-check';
import { retryWithBackoff } from './backoff';

/** Registration attempts before start-up fails (about 30 s with the backoff). */
const MAX_ATTEMPTS = 8;

/**
 * Registering the output schemas is the first thing that needs the registry: it is waited out for
 * a while (it may be starting alongside us), then start-up fails with the reason. Refused
 * credentials fail at once: retrying cannot fix them.
 */
export async function registerOutputSchemasAtStartup(opts: {
  registry: SchemaRegistry;
  topics: Topics;
  connection: ConnectionSettings;
  logger: Logger;
}): Promise<OutputEncoders> {
  let attempts = 0;
  return retryWithBackoff({
    fn: () =>
      registerOutputEncoders(opts.registry, opts.topics).catch((err: unknown) => {
        throw isRegistryAuthError(err) ? explainRegistryAuthError(err, opts.connection) : err;
      }),
    retryable: (err) => !isSipflowError(err, 'SIPFLOW_REGISTRY_AUTH') && ++attempts < MAX_ATTEMPTS,
    keepGoing: () => true, // nothing can ask a processor to stop before it has started
    onRetry: (err, attempt, delayMs) =>
      opts.logger.warn({ err, attempt, delayMs }, 'cannot register output schemas yet; retrying'),
  });
}

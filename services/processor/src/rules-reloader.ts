import { readFileSync } from 'node:fs';
import { SipflowError, type SipflowErrorCode } from '@sipflow/errors';
import { parseRules, type Rules } from '@sipflow/rules';
import type { ProcessorMetrics } from '@sipflow/telemetry';
import type { Logger } from 'pino';

/** What one reload did; `version` is the rule set running afterwards. */
export type RulesReload =
  | { result: 'success'; version: string; previousVersion: string }
  | { result: 'unchanged'; version: string }
  | { result: 'failure'; version: string; code: SipflowErrorCode; message: string };

export type RulesReloader = {
  /** The rule set a batch starting now uses: read once per batch, before it decodes. */
  current: () => Rules;
  /** Reads, validates and, if good and new, swaps in the rules file; never throws. */
  reload: () => RulesReload;
};

/**
 * Holds the running rule set and replaces it on request (SIGHUP, or a change the file watch saw).
 * The file is read and validated in full first; a file that fails keeps the running rules, so a
 * typo never stops the processor nor half-applies. The swap replaces one reference: a batch that
 * started took its rules before it decoded and keeps them to its commit, so a batch (and, under
 * exactly-once, its transaction) is always produced by one rule set, and every output's
 * `rulesVersion` names the set that produced it.
 */
export function createRulesReloader(opts: {
  initial: Rules;
  /** RULES_FILE; without one there is nothing to reload */
  file: string | undefined;
  metrics: ProcessorMetrics;
  logger: Logger;
  read?: (path: string) => string;
  /** Why the running processor cannot use these rules (a reason to refuse them), or null. */
  refuse?: (next: Rules) => string | null;
}): RulesReloader {
  const { file, metrics, logger } = opts;
  const read = opts.read ?? ((path: string) => readFileSync(path, 'utf8'));
  let running = opts.initial;

  const fail = (err: unknown): RulesReload => {
    const coded =
      err instanceof SipflowError
        ? err
        : new SipflowError('SIPFLOW_INVALID_RULES', `${file}: ${(err as Error).message}`, { source: file });
    metrics.rulesReloaded('failure');
    logger.error(
      { code: coded.code, err: coded, runningVersion: running.version, file },
      'rules reload failed; the running rules stay',
    );
    return { result: 'failure', version: running.version, code: coded.code, message: coded.message };
  };

  const reload = (): RulesReload => {
    if (file === undefined) {
      logger.warn({ runningVersion: running.version }, 'rules reload asked, but RULES_FILE is not set');
      return { result: 'unchanged', version: running.version };
    }
    let next: Rules;
    try {
      let text: string;
      try {
        text = read(file);
      } catch (err) {
        throw new SipflowError(
          'SIPFLOW_INVALID_RULES',
          `${file}: cannot read: ${(err as Error).message}`,
          { source: file },
          { cause: err },
        );
      }
      next = parseRules(text, file);
    } catch (err) {
      return fail(err);
    }
    if (next.digest === running.digest) {
      metrics.rulesReloaded('unchanged');
      logger.info({ version: running.version }, 'rules reload: the file holds the running rules');
      return { result: 'unchanged', version: running.version };
    }
    if (next.version === running.version) {
      return fail(
        new SipflowError(
          'SIPFLOW_INVALID_RULES',
          `${file}: the rules changed but version is still "${next.version}": give the new rules a new version, so every output names the rules that produced it`,
          { source: file, version: next.version },
        ),
      );
    }
    const refusal = opts.refuse?.(next) ?? null;
    if (refusal !== null) {
      return fail(
        new SipflowError('SIPFLOW_INVALID_RULES', `${file}: ${refusal}`, {
          source: file,
          version: next.version,
        }),
      );
    }
    const previousVersion = running.version;
    running = next;
    metrics.rulesReloaded('success');
    metrics.setRulesVersion(next.version);
    logger.info(
      { version: next.version, previousVersion, file },
      'rules reloaded; batches from now on use them',
    );
    return { result: 'success', version: next.version, previousVersion };
  };

  return { current: () => running, reload };
}

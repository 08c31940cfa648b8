import { defaultRules, isSipflowError, loadRules, type Rules, type SipflowError } from '@sipflow/rules';

/** Reports a data error (bad input, bad rules file) without the usage text: the command was fine. */
export function reportError(error: SipflowError, message = error.message): void {
  process.stderr.write(`sipflow: ${error.code}: ${message}\n`);
  process.exitCode = 1;
}

/** The rules named by --rules, or the shipped defaults; undefined (reported, exit 1) when invalid. */
export function rulesFromOption(path: string | undefined): Rules | undefined {
  try {
    return path === undefined ? defaultRules() : loadRules(path);
  } catch (error) {
    if (!isSipflowError(error)) throw error;
    reportError(error);
    return undefined;
  }
}

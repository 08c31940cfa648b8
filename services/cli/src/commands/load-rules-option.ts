import { isSipflowError } from '@sipflow/errors';
import { defaultRules, loadRules, type Rules } from '@sipflow/rules';
import { reportError } from '../report-error';

/**
 * The rules named by --rules, or the shipped defaults; undefined (reported, exit status 78) when
 * invalid. Reported here rather than thrown so that the usage text does not follow: the command
 * line was fine, the file was not.
 */
export function rulesFromOption(path: string | undefined): Rules | undefined {
  try {
    return path === undefined ? defaultRules() : loadRules(path);
  } catch (error) {
    if (!isSipflowError(error)) throw error;
    reportError(error);
    return undefined;
  }
}

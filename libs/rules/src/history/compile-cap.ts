import type { FrequencyCapFile } from '../rules-file/schema';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../time/units';
import type { FrequencyCap } from './frequency-cap';

// Hours rather than days under a week: statutes write "24-hour period", "8-hour period"; a week
// or more reads in days ("7 d", not "168 h").
function periodLabel(ms: number): string {
  if (ms % HOUR_MS === 0 && ms < 7 * DAY_MS) return `${ms / HOUR_MS} h`;
  if (ms % DAY_MS === 0) return `${ms / DAY_MS} d`;
  if (ms % MINUTE_MS === 0) return `${ms / MINUTE_MS} min`;
  return `${ms / 1000} s`;
}

export function frequencyCap(file: FrequencyCapFile, name: string, source: string | null): FrequencyCap {
  const calls = file.count === 1 ? 'call' : 'calls';
  return Object.freeze({
    count: file.count,
    perMs: file.per,
    name,
    source,
    label: `${file.count} ${calls} per ${periodLabel(file.per)}`,
  });
}

// sipflow's NANP area-code table (libs/rules geography/nanp-area-codes.ts) as JSON, for the Kafka
// Streams peer: it derives a lead's region and zones from the area code as sipflow does, and reads
// the table from here rather than keeping a copy of its own that could drift from sipflow's.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NANP_AREA_CODES } from '@sipflow/rules';

/** Writes the table to a temporary directory and returns the path (the peer's NANP_AREA_CODES_FILE). */
export function writePeerAreaCodes(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sipflow-bench-')), 'nanp-area-codes.json');
  writeFileSync(path, JSON.stringify(NANP_AREA_CODES));
  return path;
}

import { readFileSync, writeFileSync } from 'node:fs';
import { SipflowError } from '@sipflow/errors';
import { format, resolveConfig } from 'prettier';

/** The page the bench and soak writers regenerate their sections of. */
export const PERFORMANCE_DOC = 'docs/performance.md';

/**
 * Replaces the text between two markers of a Markdown page with `markdown`, formatted as the
 * repository's Prettier settings want (so `npm run lint` stays clean after a recorded run).
 */
export async function replaceDocSection(
  path: string,
  markers: { start: string; end: string },
  markdown: string,
): Promise<void> {
  const text = readFileSync(path, 'utf8');
  const i = text.indexOf(markers.start);
  const j = text.indexOf(markers.end);
  if (i < 0 || j < i)
    throw new SipflowError(
      'SIPFLOW_INTERNAL_ERROR',
      `${path} has no ${markers.start} … ${markers.end} section`,
      {
        path,
      },
    );
  const config = (await resolveConfig(path)) ?? {};
  const formatted = await format(markdown, { ...config, parser: 'markdown' });
  writeFileSync(path, `${text.slice(0, i + markers.start.length)}\n\n${formatted}\n${text.slice(j)}`);
}

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createKafka } from '@sipflow/kafka';
import { defaultRules, loadRules } from '@sipflow/rules';
import { checkpointPath, readCheckpoint } from './checkpoint';
import { emptyCounts } from './counts';
import { invalidOption } from './errors';
import type { EventFilter } from './event-filter';
import { executeReplay } from './execute';
import { sandboxTopics, type ReplayJob } from './job';
import { planReplay } from './plan';
import { deleteLeftoverGroups } from './replay-groups';
import { generateReplayId, validateReplayId } from './replay-id';
import { validateReplayRequest, type ReplayHooks, type ReplayRequest, type ResumeRequest } from './request';
import type { ReplaySummary } from './summary';

export type { ReplayHooks, ReplayRequest, ResumeRequest, StartInfo } from './request';

/** Plans the window (end offsets snapshotted now) and replays it. */
export async function runReplay(req: ReplayRequest, hooks: ReplayHooks = {}): Promise<ReplaySummary> {
  validateReplayRequest(req);
  const dryRun = req.dryRun === true;
  const target = req.target ?? 'live';
  const replayId = req.replayId === undefined ? generateReplayId() : validateReplayId(req.replayId);
  if (!dryRun && existsSync(checkpointPath(req.checkpointDir, replayId)))
    throw invalidOption(
      '--replay-id',
      `replay ${replayId} already exists; continue it with --resume ${replayId}`,
    );
  const rulesFile = req.rulesFile === undefined ? null : resolve(req.rulesFile);
  const rules = rulesFile === null ? defaultRules() : loadRules(rulesFile);

  const kafka = createKafka(req.connection, { clientId: `${req.connection.clientId}-replay` });
  const { ranges, recorded } = await planReplay(kafka, req);
  const filter: EventFilter = {
    ...(req.campaigns ? { campaigns: req.campaigns } : {}),
    ...(req.sipCodes ? { sipCodes: req.sipCodes } : {}),
    ...(req.from === undefined ? {} : { from: req.from }),
    ...(req.to === undefined ? {} : { to: req.to }),
  };
  const job: ReplayJob = {
    replayId,
    topics: target === 'sandbox' ? sandboxTopics(req.topics, req.prefix!) : req.topics,
    target,
    prefix: target === 'sandbox' ? req.prefix! : null,
    rulesFile,
    rulesVersion: rules.version,
    filter,
    ranges,
    maxRecordBytes: req.maxRecordBytes,
    rate: req.rate ?? null,
  };
  const now = new Date().toISOString();
  const fresh = {
    replayId,
    status: 'running' as const,
    createdAt: now,
    updatedAt: now,
    job,
    positions: new Map(ranges.map((r) => [r.partition, r.start])),
    counts: emptyCounts(),
    elapsedMs: 0,
  };
  return executeReplay(
    kafka,
    req.connection,
    rules,
    job,
    fresh,
    { dryRun, recorded, rate: job.rate ?? undefined, checkpointDir: req.checkpointDir, resumed: false },
    hooks,
  );
}

/** Continues a replay from its checkpoint: the same window, rules, filters and target. */
export async function resumeReplay(req: ResumeRequest, hooks: ReplayHooks = {}): Promise<ReplaySummary> {
  const cp = readCheckpoint(req.checkpointDir, validateReplayId(req.replayId));
  const { job } = cp;
  const rules = job.rulesFile === null ? defaultRules() : loadRules(job.rulesFile);
  if (rules.version !== job.rulesVersion)
    throw invalidOption(
      '--resume',
      `${job.rulesFile ?? 'the default rules'} is now version ${rules.version}, but replay ${job.replayId} started with ${job.rulesVersion}; start a new replay`,
    );
  const kafka = createKafka(req.connection, { clientId: `${req.connection.clientId}-replay` });
  await deleteLeftoverGroups(kafka, job.replayId);
  const summary = await executeReplay(
    kafka,
    req.connection,
    rules,
    job,
    cp,
    {
      dryRun: false,
      recorded: undefined,
      rate: req.rate ?? job.rate ?? undefined,
      checkpointDir: req.checkpointDir,
      resumed: true,
    },
    hooks,
  );
  await deleteLeftoverGroups(kafka, job.replayId);
  return summary;
}

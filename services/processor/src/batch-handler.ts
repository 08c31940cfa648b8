import type { AvroDecoder, CallAttempt } from '@sipflow/codec';
import { isSipflowError, SipflowError } from '@sipflow/errors';
import { batchMembership, sendAll, withWriteGuard } from '@sipflow/kafka';
import { ledgerBatch, processBatch, tallyBatch, type PipelineDeps } from '@sipflow/pipeline';
import type { LedgerState, Rules } from '@sipflow/rules';
import type { ProcessorMetrics } from '@sipflow/telemetry';
import type { EachBatchPayload, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { retryWithBackoff } from './backoff';
import type { BatchTracer } from './batch-tracer';
import type { ProcessingGuarantee } from './config';
import type { FaultHook } from './fault-hook';
import { recordBatchMetrics } from './batch-metrics';
import { isCoordinatorLost, rejoinToFindCoordinator, withCoordinator } from './coordinator';
import { countRunningPeriods } from './state/ledger-state';
import type { ProcessorState, StatefulBatch } from './state/processor-state';
import { exactlyOnceCommitter } from './exactly-once-commit';
import { forwardBatch, type PhoneNumberOnly } from './state/repartition';
import { memberCheck, staleBatchError } from './member-check';

/**
 * At-least-once writes a request only while the last confirmed heartbeat is younger than this
 * share of the session timeout: the coordinator cannot expire the member before a whole one, and
 * the rest is left for the request to reach the broker. memberCheck keeps it under half before
 * each request, so only a process frozen on its way to the socket reaches this.
 */
const WRITE_GUARD_SESSION_SHARE = 0.75;

/** What the handler needs of the producer: kafkajs' interface, so a test can fake it. */
export type OutputProducer = Pick<Producer, 'sendBatch' | 'transaction'>;

export type BatchHandlerDeps = Omit<PipelineDeps, 'rules' | 'state'> & {
  /** the rule set for a batch starting now (a reload replaces it between batches) */
  rules: () => Rules;
  decoder: AvroDecoder<CallAttempt>;
  producer: OutputProducer;
  guarantee: ProcessingGuarantee;
  groupId: string;
  /**
   * The consumer's session timeout: a member whose last confirmed heartbeat is older than this
   * may have lost its partitions (at-least-once confirms before it writes; see ensureMember).
   */
  sessionTimeoutMs: number;
  /**
   * exactly-once on kafkajs: every batch must carry its group generation (kafkajs-group-fencing.ts),
   * or its transaction's offsets could not be fenced
   */
  requireFencing: boolean;
  metrics: ProcessorMetrics;
  logger: Logger;
  /** spans per batch (tracing/); none when tracing is off, and then nothing is called */
  tracer?: BatchTracer;
  /** test-only: a crash or a pause at the points where the guarantees are decided */
  fault?: FaultHook;
  /**
   * The per-number state, when the rules use it: batches of its topic read and write it, and with
   * a repartition topic, batches of the input are only re-keyed onto it (state/repartition.ts).
   */
  numberState?: ProcessorState;
  /**
   * Set with `numberState` in repartition mode: where input batches are forwarded, and the decoder
   * that reads only a record's phone number to re-key it.
   */
  repartition?: { topic: string; decoder: AvroDecoder<PhoneNumberOnly> };
  /**
   * The abandoned-call ledger's state: batches of its topic (the partials that classified batches
   * write to `ledgerTopic`) are added to the groups' periods (ledger-stage.ts in @sipflow/pipeline).
   */
  ledger?: ProcessorState<LedgerState>;
};

/** The part of kafkajs' eachBatch payload the handler uses. */
export type BatchPayload = Pick<
  EachBatchPayload,
  'resolveOffset' | 'heartbeat' | 'isRunning' | 'isStale' | 'commitOffsetsIfNecessary' | 'uncommittedOffsets'
> & {
  batch: Pick<EachBatchPayload['batch'], 'topic' | 'partition' | 'messages' | 'lastOffset'>;
};

/** The batch handler, and what the consumer tells it. */
export type BatchHandler = ((payload: BatchPayload) => Promise<void>) & {
  /**
   * The member (re-)joined the group, so it has found the group coordinator: batches run again.
   * `assignment` (topic → partitions) tells the state which partitions it still owns.
   */
  joined: (assignment?: Readonly<Record<string, number[] | undefined>>, generationId?: number) => void;
  /** batches writing to a later stage's topic right now (repartition copies, ledger partials) */
  forwarding: () => number;
  /**
   * The member is about to (re-)join: batches still being handled finish (or fail) first, within
   * `maxMs`, and batches handed out from now until the join are left for whoever owns their
   * partition next (kafkajs-group-fencing.ts `beforeJoining`).
   */
  settle: (maxMs: number) => Promise<void>;
  /**
   * The join that `settle` prepared failed, and kafkajs goes on fetching in the generation it had
   * without trying again: the next batch asks it to re-join (the error that makes its runner
   * re-join and look the coordinator up), and none is processed until a join succeeds.
   */
  joinFailed: (err: unknown) => void;
};

/**
 * One fetched batch of one partition: the pipeline, one produce for all its outputs, then the
 * offset. At-least-once: the offset is resolved and committed only after every output is
 * acknowledged, by the handler itself (autoCommit off, see coordinator.ts). Exactly-once: the
 * outputs and the offset commit are one Kafka transaction, shared by the batches ready together
 * (exactly-once-commit.ts; batches of other partitions do their CPU work meanwhile); a batch whose
 * partition was revoked while it waited is dropped unwritten, for the new owner to process.
 *
 * Bad records never throw (they go to the DLQ). What does throw (the broker unreachable for longer
 * than the client retries) leaves the offset untouched, so the batch is fetched again after the
 * consumer restarts: nothing is lost.
 */
export function createBatchHandler(deps: BatchHandlerDeps): BatchHandler {
  const { metrics, logger } = deps;
  // Set when a commit or heartbeat found the group coordinator gone, or when a re-join failed;
  // cleared when the group is joined again. Meanwhile no batch is processed, and each one handed
  // out asks kafkajs to re-join (again): kafkajs would fetch on from the offsets resolved in
  // memory, and all of it would be processed again after the re-join.
  let rejoinOwed: unknown;
  let forwardsInFlight = 0;
  // handlers running now, and whether the member is about to re-join (settle → joined)
  const handling = new Set<Promise<void>>();
  let rejoining = false;
  /** when the member began to re-join, for a warning if it takes far longer than a join should */
  let rejoiningSince = 0;
  let warnedRejoining = false;
  // exactly-once: the batches ready together share a transaction of the one transactional producer
  const writeInTransaction = exactlyOnceCommitter(deps);
  const toCoordinator = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await withCoordinator(fn);
    } catch (err) {
      if (isCoordinatorLost(err)) rejoinOwed = err;
      throw err;
    }
  };
  const ensureMember = memberCheck({ ...deps, toCoordinator });
  const handle = async ({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
    commitOffsetsIfNecessary,
    uncommittedOffsets,
  }: BatchPayload): Promise<void> => {
    const messages = batch.messages;
    if (messages.length === 0) return;
    if (rejoining) {
      // a batch fetched while the member re-joins is fetched again after the join; one re-join
      // this long means none has completed since (a stalled consumer): said once, for whoever reads
      if (!warnedRejoining && performance.now() - rejoiningSince > 2 * deps.sessionTimeoutMs) {
        warnedRejoining = true;
        logger.warn(
          {
            topic: batch.topic,
            partition: batch.partition,
            waitingMs: Math.round(performance.now() - rejoiningSince),
          },
          'batches are being fetched but no re-join has completed for two session timeouts: they are left unprocessed meanwhile',
        );
      }
      return;
    }
    if (rejoinOwed !== undefined) throw rejoinToFindCoordinator(rejoinOwed);
    // the generation the batch was fetched in: what it writes is valid for that generation only
    const membership = batchMembership(batch);
    if (membership === undefined && deps.requireFencing)
      throw new SipflowError(
        'SIPFLOW_INTERNAL_ERROR',
        'a batch without its group generation under exactly-once: its offsets could not be fenced (is kafkajs patched?)',
        { topic: batch.topic, partition: batch.partition },
      );
    // kafkajs hands out batches of an earlier fetch after a re-join: the partition may be another
    // member's now, and its state here stale. Nothing of it is written; its owner processes it.
    if (membership?.isCurrent() === false) {
      metrics.fencedBatch('stale_generation').inc();
      return;
    }
    const ordinal = deps.fault?.batchStarted() ?? 0;
    const started = performance.now();
    metrics.inFlight.inc(messages.length);
    const forwarding = deps.repartition !== undefined && batch.topic === deps.topics.input;
    const decoder = forwarding ? deps.repartition!.decoder : deps.decoder;
    const ledger = !forwarding && batch.topic === deps.ledger?.stateTopic ? deps.ledger : undefined;
    // writing to a later stage's topic: repartition copies, or the ledger's partials
    const writesOnward = forwarding || (deps.ledgerTopic !== undefined && ledger === undefined);
    if (writesOnward) forwardsInFlight++;
    const state =
      !forwarding && ledger === undefined && batch.topic === deps.numberState?.stateTopic
        ? deps.numberState
        : undefined;
    // the raw records a batch of repartition copies stands for: outputs and spans name them
    const raw = state?.unwrap(batch.topic, batch.partition, messages);
    // a forwarded batch is not classified here: its spans are those of its repartition copy; a
    // batch of ledger partials classifies nothing either
    const trace =
      forwarding || ledger !== undefined
        ? undefined
        : deps.tracer?.startBatch({
            topic: batch.topic,
            partition: batch.partition,
            messages: raw?.messages ?? messages,
            ...(raw && Array.isArray(raw.sources) ? { sources: raw.sources } : {}),
          });
    let failure: unknown;
    try {
      // the writer schemas of this batch, fetched once; the registry being away is waited out
      await retryWithBackoff({
        fn: () => decoder.prepare(messages.map((m) => m.value)),
        retryable: (err) => isSipflowError(err, 'SIPFLOW_REGISTRY_UNAVAILABLE'),
        keepGoing: () => isRunning() && !isStale(),
        whileWaiting: heartbeat,
        onRetry: (err, attempt, delayMs) => {
          metrics.clientRestart('registry_unavailable').inc();
          logger.warn({ err, attempt, delayMs }, 'schema registry unavailable; batch waits');
        },
      });

      // the rules are read once, here: every output of this batch (and of its transaction) comes
      // from this one rule set, whatever a reload does meanwhile
      const rules = deps.rules();
      const source = { topic: batch.topic, partition: batch.partition };
      // the batch's staged state changes, per-number or the ledger's: what commits them
      let stateful: Omit<StatefulBatch<unknown>, 'view'> | undefined;
      // the statuses the ledger's periods rose to in this batch
      let raised: readonly string[] = [];
      let result;
      if (ledger !== undefined) {
        await ledger.ready(batch.partition, heartbeat);
        const staged = ledger.begin(batch.partition);
        stateful = staged;
        const added = ledgerBatch(source, messages, {
          rules,
          view: staged.view,
          encoder: deps.encoders.abandonment,
          topics: deps.topics,
        });
        raised = added.raised;
        result = added;
      } else if (forwarding) {
        result = forwardBatch(source, messages, {
          ...deps,
          decoder: deps.repartition!.decoder,
          repartitionTopic: deps.repartition!.topic,
        });
      } else if (state !== undefined) {
        await state.ready(batch.partition, heartbeat);
        const staged = state.begin(batch.partition);
        stateful = staged;
        result = processBatch(raw!.sources, raw!.messages, { ...deps, rules, state: staged.view });
      } else {
        result = processBatch(source, messages, { ...deps, rules });
      }
      trace?.processed(result, rules.version);
      // the changelog records ride with the outputs: one transaction, or one acknowledged send
      const changelog = stateful?.changelog(rules) ?? null;
      const toSend = changelog === null ? result.topicMessages : [...result.topicMessages, changelog];
      const lastOffset = batch.lastOffset();
      deps.fault?.at('before-outputs', ordinal);

      if (deps.guarantee === 'exactly_once') {
        const committed = await writeInTransaction({
          topic: batch.topic,
          partition: batch.partition,
          nextOffset: (BigInt(lastOffset) + 1n).toString(),
          toSend,
          membership,
          isStale,
          ...(stateful ? { sent: stateful.sent } : {}),
          ...(trace ? { trace } : {}),
          ordinal,
        });
        if (!committed) return;
      } else {
        if (membership !== undefined && !(await ensureMember(membership))) return;
        // and again before each further produce request: a pause between two of a batch's
        // requests is as likely as one before the first (a batch's outputs go in several)
        const stillMember = async () => {
          if (membership !== undefined && !(await ensureMember(membership)))
            throw staleBatchError(batch, membership);
        };
        // and, synchronously, right before each request's bytes go to the socket: a process frozen
        // between the check above and the write would otherwise write however long it was away
        let refused = false;
        const fresh = () => {
          if (membership === undefined) return undefined;
          const age = performance.now() - membership.confirmedAt();
          if (membership.isCurrent() && age <= deps.sessionTimeoutMs * WRITE_GUARD_SESSION_SHARE)
            return undefined;
          refused = true;
          return staleBatchError(batch, membership);
        };
        const send = () =>
          withWriteGuard(fresh, () => sendAll(deps.producer, toSend, stillMember, stateful?.sent));
        try {
          await (trace ? trace.produce(send) : send());
        } catch (err) {
          if (!refused) throw err;
          metrics.fencedBatch('write_refused').inc();
          logger.warn(
            { topic: batch.topic, partition: batch.partition, generationId: membership?.generationId },
            'a produce request was stopped before it was sent: the last confirmed heartbeat had grown too old while it waited (the process was frozen?); re-joining, the partition is processed again from its last commit',
          );
          throw staleBatchError(batch, membership!);
        }
        deps.fault?.at('after-outputs', ordinal);
        if (
          membership !== undefined &&
          performance.now() - membership.confirmedAt() > deps.sessionTimeoutMs
        ) {
          metrics.fencedBatch('late_write').inc();
          logger.warn(
            { topic: batch.topic, partition: batch.partition, records: messages.length },
            'outputs acknowledged more than a session timeout after the last confirmed heartbeat: another member may have processed this partition meanwhile',
          );
        }
        // revoked while we worked: the new owner re-processes from the last commit (duplicates,
        // never a gap), so this batch's offset must not be committed by us
        if (isStale()) return;
        deps.fault?.at('before-commit', ordinal);
      }
      // written (exactly-once: committed, while the generation was current) but the member has
      // left that generation since: the offsets must not go into the new generation's commits,
      // and the changes must not go into a state the member may no longer own, or owns again after
      // someone else wrote to it; it is restored from the changelog before the partition's next batch
      if (membership?.isCurrent() === false) {
        metrics.fencedBatch('stale_generation').inc();
        if (stateful !== undefined) (state ?? ledger)!.invalidate(batch.partition);
        return;
      }
      stateful?.committed();
      if (ledger !== undefined) {
        for (const status of raised) metrics.ledger.raised.labels(status).inc();
        countRunningPeriods(ledger, rules, metrics.ledger);
      }
      // every input record is forwarded or dead-lettered (those are the batch's records)
      if (forwarding) metrics.state.repartitioned.inc(messages.length - result.records.length);
      // the ledger's partials this classified batch wrote (one per group and period it counted)
      if (writesOnward && !forwarding) {
        const partials = result.topicMessages.find((t) => t.topic === deps.ledgerTopic);
        if (partials !== undefined) metrics.ledger.state.repartitioned.inc(partials.messages.length);
      }
      resolveOffset(lastOffset);
      // the outputs are written: counted now, whatever the commit below does
      // copies and partials stand for raw records counted when they were read
      const copies = batch.topic === deps.repartition?.topic || ledger !== undefined;
      recordBatchMetrics(metrics, copies ? null : batch.topic, tallyBatch(result), {
        records: messages.length,
        seconds: (performance.now() - started) / 1000,
        acknowledgedAt: Date.now(),
      });
      // at-least-once: committed here, before the next batch is fetched; a lost coordinator throws
      // the error that makes kafkajs re-join (the outputs are acknowledged: at worst a repeat)
      if (deps.guarantee === 'at_least_once')
        await toCoordinator(() => commitOffsetsIfNecessary(uncommittedOffsets()));
      await toCoordinator(heartbeat);
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      if (writesOnward) forwardsInFlight--;
      trace?.end(failure);
      metrics.inFlight.dec(messages.length);
    }
  };
  const tracked = (payload: BatchPayload): Promise<void> => {
    const run = handle(payload);
    handling.add(run);
    void run.then(
      () => handling.delete(run),
      () => handling.delete(run),
    );
    return run;
  };
  return Object.assign(tracked, {
    forwarding: () => forwardsInFlight,
    settle: async (maxMs: number) => {
      if (!rejoining) rejoiningSince = performance.now();
      rejoining = true;
      const deadline = performance.now() + maxMs;
      while (handling.size > 0 && performance.now() < deadline) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...handling]),
          new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - performance.now())))),
        ]);
        clearTimeout(timer);
      }
      if (handling.size > 0)
        logger.warn(
          { batches: handling.size, waitedMs: maxMs },
          're-joining with batches still being handled',
        );
    },
    joinFailed: (err: unknown) => {
      rejoining = false;
      warnedRejoining = false;
      rejoinOwed ??= err;
    },
    joined: (assignment?: Readonly<Record<string, number[] | undefined>>, generationId?: number) => {
      rejoinOwed = undefined;
      rejoining = false;
      warnedRejoining = false;
      if (deps.numberState !== undefined && assignment !== undefined)
        deps.numberState.assignedPartitions(assignment[deps.numberState.stateTopic] ?? [], generationId);
      if (deps.ledger !== undefined && assignment !== undefined) {
        deps.ledger.assignedPartitions(assignment[deps.ledger.stateTopic] ?? [], generationId);
        // periods of partitions no longer owned are another member's to count now
        countRunningPeriods(deps.ledger, deps.rules(), metrics.ledger);
      }
    },
  });
}

// One measured operation of one client, in a process of its own: its CPU (process.cpuUsage) and
// memory are that client's alone, and a client's module patches (sipflow's kafkajs encoder)
// cannot leak into another's run. Prints one `RESULT <json>` line; run.ts spawns it.
import { OPERATION_TIMEOUT_MS } from './adapters/types';
import { loadClient, type ClientName } from './clients';
import { processClock, withTimeout } from './measure';
import { benchRecords, inSends } from './records';

export type Operation = 'produce' | 'consume' | 'transactional' | 'place';
export type WorkerArgs = {
  client: ClientName;
  op: Operation;
  topic: string;
  records: number;
  brokers: string[];
  /** a consumer group or transactional id unique to this run */
  id: string;
};

const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
const client = await loadClient(args.client, args.brokers);
const clock = processClock();
// built before the clock starts: the records are the processor's input to the client, not its work
const sends = args.op === 'consume' ? [] : inSends(benchRecords(args.records));

const work = async (): Promise<number> => {
  switch (args.op) {
    case 'produce':
    case 'place':
      await client.produce(args.topic, sends, clock);
      return args.records;
    case 'consume':
      return client.consume(args.topic, args.records, clock, args.id);
    case 'transactional':
      if (!client.transactional) throw new Error(`${args.client} has no transactions`);
      await client.transactional(args.topic, sends, clock, args.id);
      return args.records;
  }
};

const records = await withTimeout(`${args.client} ${args.op}`, OPERATION_TIMEOUT_MS, work());
process.stdout.write(`RESULT ${JSON.stringify(clock.result(records))}\n`);
// a client's idle timers must not keep the process, and its measured CPU, going
process.exit(0);

import { parseArgs } from 'node:util';
import { CLIENTS, type ClientName } from './clients';

export type Options = { records: number; runs: number; clients: ClientName[]; placementKeys: number };

const positive = (name: string, v: string | undefined, fallback: number, max: number) => {
  if (v === undefined) return fallback;
  const x = Number(v);
  if (!Number.isInteger(x) || x < 1 || x > max)
    throw new Error(`--${name} must be an integer from 1 to ${max}`);
  return x;
};

/** `--records N --runs K [--clients a,b] [--placement-keys N]`, bounded so a typo cannot run for hours. */
export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      records: { type: 'string' },
      runs: { type: 'string' },
      clients: { type: 'string' },
      'placement-keys': { type: 'string' },
    },
  });
  const clients = (values.clients?.split(',') ?? [...CLIENTS]) as ClientName[];
  for (const c of clients)
    if (!CLIENTS.includes(c)) throw new Error(`unknown client ${c}; known: ${CLIENTS.join(', ')}`);
  const records = positive('records', values.records, 200_000, 5_000_000);
  if (records % 1000 !== 0) throw new Error('--records must be a multiple of 1,000 (one send)');
  return {
    records,
    runs: positive('runs', values.runs, 3, 20),
    clients,
    placementKeys: positive('placement-keys', values['placement-keys'], 10_000, 50_000),
  };
}

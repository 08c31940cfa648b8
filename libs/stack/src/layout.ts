import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackOptions } from './options';
import type { StackPaths } from './paths';
import { removeFile } from './processes';

/**
 * What a local stack is made of: how many Kafka nodes, and whether clients must use TLS and
 * SASL/SCRAM (and basic auth for the registry). Each layout keeps its own data, so switching from
 * the single plain broker to a secure three-node cluster and back never mixes their logs, users
 * or schema ids.
 */
export type StackLayout = { brokers: number; secure: boolean };

export type KafkaNode = { id: number; port: number; controllerPort: number };

/**
 * Node n (1-based) listens on SIPFLOW_KAFKA_PORT + 10·(n−1) for clients and on
 * SIPFLOW_KAFKA_CONTROLLER_PORT + 10·(n−1) for the controller quorum: with the defaults
 * 9092/9093, 9102/9103 and 9112/9113 — apart enough never to collide with each other.
 */
export const NODE_PORT_STEP = 10;

export function kafkaNodes(opts: StackOptions, layout: StackLayout): KafkaNode[] {
  return Array.from({ length: layout.brokers }, (_, i) => ({
    id: i + 1,
    port: opts.kafkaPort + NODE_PORT_STEP * i,
    controllerPort: opts.controllerPort + NODE_PORT_STEP * i,
  }));
}

export function layoutOf(opts: StackOptions): StackLayout {
  return { brokers: opts.brokers, secure: opts.secure };
}

export function describeLayout(layout: StackLayout): string {
  const nodes = layout.brokers === 1 ? 'one Kafka node' : `${layout.brokers} Kafka nodes`;
  return layout.secure ? `${nodes}, TLS + SASL/SCRAM, registry basic auth` : `${nodes}, plaintext`;
}

/**
 * Where a layout's data lives: the single plaintext node keeps the top-level data folder it has
 * always used; any other layout gets a folder of its own.
 */
export function layoutDataDir(paths: StackPaths, layout: StackLayout): string {
  if (layout.brokers === 1 && !layout.secure) return paths.data;
  return join(paths.data, `brokers-${layout.brokers}${layout.secure ? '-secure' : ''}`);
}

/** The layout of the stack that `up` last started, kept until `down` stops all of it. */
export function runningLayout(paths: StackPaths): StackLayout | undefined {
  const file = layoutFile(paths);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<StackLayout>;
    if (Number.isInteger(parsed.brokers) && typeof parsed.secure === 'boolean') {
      return { brokers: parsed.brokers!, secure: parsed.secure };
    }
  } catch {
    // unreadable: treated as no record, like a missing file
  }
  return undefined;
}

export function recordLayout(paths: StackPaths, layout: StackLayout): void {
  writeFileSync(layoutFile(paths), `${JSON.stringify(layout)}\n`);
}

export function forgetLayout(paths: StackPaths): void {
  removeFile(layoutFile(paths));
}

export function sameLayout(a: StackLayout, b: StackLayout): boolean {
  return a.brokers === b.brokers && a.secure === b.secure;
}

function layoutFile(paths: StackPaths): string {
  return join(paths.run, 'layout.json');
}

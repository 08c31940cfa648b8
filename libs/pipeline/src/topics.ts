import { envVar, parseEnv, type EnvVar } from '@sipflow/config';
import { z } from 'zod';
import { INPUT, OUTPUT_KINDS, OUTPUTS, type OutputKind } from './outputs';

/** The topic names of one deployment: the input and one per output kind. */
export type Topics = { readonly input: string } & { readonly [K in OutputKind]: string };

type TopicVariable = typeof INPUT.envVar | (typeof OUTPUTS)[OutputKind]['envVar'];

/** The topic variables, from the outputs table: INPUT_TOPIC, ENRICHED_TOPIC, ... DLQ_TOPIC. */
export const topicsEnv = Object.fromEntries(
  [INPUT, ...OUTPUT_KINDS.map((k) => OUTPUTS[k])].map((spec) => [
    spec.envVar,
    envVar(z.string().min(1).default(spec.defaultTopic), spec.help),
  ]),
) as Record<TopicVariable, EnvVar<string>>;

export function topicsFromEnv(env: NodeJS.ProcessEnv = process.env): Topics {
  const values = parseEnv(topicsEnv, env) as Record<string, string>;
  return Object.freeze({
    input: values[INPUT.envVar]!,
    ...Object.fromEntries(OUTPUT_KINDS.map((k) => [k, values[OUTPUTS[k].envVar]!])),
  }) as Topics;
}

/** The environment variables that name `topics`: what a child `sipflow process` needs to use them. */
export function topicsToEnv(topics: Topics): Record<string, string> {
  return {
    [INPUT.envVar]: topics.input,
    ...Object.fromEntries(OUTPUT_KINDS.map((k) => [OUTPUTS[k].envVar, topics[k]])),
  };
}

/** `P.<topic>` for every topic, the input included. */
export function prefixedTopics(topics: Topics, prefix: string): Topics {
  return Object.freeze({
    input: `${prefix}.${topics.input}`,
    ...Object.fromEntries(OUTPUT_KINDS.map((k) => [k, `${prefix}.${topics[k]}`])),
  }) as Topics;
}

/** Output topic name → its kind (the input is not an output). */
export function outputKindsByTopic(topics: Topics): Map<string, OutputKind> {
  return new Map(OUTPUT_KINDS.map((k) => [topics[k], k]));
}

/** The output topics, in table order. */
export const outputTopics = (topics: Topics): string[] => OUTPUT_KINDS.map((k) => topics[k]);

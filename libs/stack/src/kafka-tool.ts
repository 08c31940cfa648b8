import { spawn } from 'node:child_process';
import { SipflowError } from '@sipflow/errors';
import { kafkaToolsClasspath } from './stack';

/**
 * Runs one of Apache Kafka's own tools (a main class of the installed release) and resolves with
 * what it printed, stdout and stderr together; a non-zero exit rejects with the tail of it. For
 * benchmarks and fault tests that measure or ask the cluster the way Kafka's users would.
 */
export async function runKafkaTool(
  mainClass: string,
  args: string[],
  opts: { heap?: string; report?: (line: string) => void } = {},
): Promise<string> {
  const { java, classpath } = await kafkaToolsClasspath(opts.report ?? (() => undefined));
  return new Promise((resolve, reject) => {
    const child = spawn(java, [`-Xmx${opts.heap ?? '512m'}`, '-cp', classpath, mainClass, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(out)
        : reject(
            new SipflowError('SIPFLOW_STACK', `${mainClass} exited ${code}:\n${out.slice(-2000)}`, {
              tool: mainClass,
              exitCode: code,
            }),
          ),
    );
  });
}

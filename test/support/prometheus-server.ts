import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@sipflow/stack';

export type PrometheusOptions = {
  binary: string;
  jobName: string;
  /** host:port of each /metrics endpoint */
  targets: string[];
  scrapeInterval: string;
  /** absolute paths of rule files to evaluate */
  ruleFiles?: string[];
};

export type RunningPrometheus = { url: string; output: () => string; stop: () => Promise<void> };

/**
 * A Prometheus of our own on loopback: a fresh config and data directory in a temp dir, a free
 * port, never the system service. Resolves once /-/ready answers (30 s at most).
 */
export async function startPrometheus(opts: PrometheusOptions): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'sipflow-prometheus-'));
  const config = {
    global: { scrape_interval: opts.scrapeInterval, evaluation_interval: opts.scrapeInterval },
    rule_files: opts.ruleFiles ?? [],
    scrape_configs: [{ job_name: opts.jobName, static_configs: [{ targets: opts.targets }] }],
  };
  // JSON is YAML: no serializer needed
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const port = await freePort();
  const child = spawn(
    opts.binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 100));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child, 10_000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(`${url}/-/ready`, 30_000, child);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${lines.join('\n')}`);
  }
  return { url, output: () => lines.join('\n'), stop };
}

/** Polls `url` until it answers 2xx, the deadline passes, or `child` exits. */
export async function waitFor(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new Error(`exited (${child.exitCode}) before ${url} answered`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

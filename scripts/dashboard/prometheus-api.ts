/** The few Prometheus HTTP API calls sipflow's tooling makes (GET /api/v1/...). */
import { SipflowError } from '@sipflow/errors';

export type Sample = { metric: Record<string, string>; value: [number, string] };
export type Series = { metric: Record<string, string>; values: [number, string][] };

type ApiResponse<T> = { status: 'success'; data: T } | { status: 'error'; errorType: string; error: string };

async function get<T>(baseUrl: string, path: string, params: Record<string, string>): Promise<T> {
  const url = `${baseUrl.replace(/\/$/, '')}${path}?${new URLSearchParams(params)}`;
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as ApiResponse<T>;
  if (body.status !== 'success')
    throw new SipflowError(
      'SIPFLOW_INTERNAL_ERROR',
      `${path} ${params.query ?? ''}: ${body.errorType}: ${body.error}`,
      { path, query: params.query, errorType: body.errorType },
    );
  return body.data;
}

export async function instantQuery(baseUrl: string, query: string): Promise<Sample[]> {
  const data = await get<{ resultType: string; result: Sample[] | [number, string] }>(
    baseUrl,
    '/api/v1/query',
    { query },
  );
  // a scalar result (e.g. a bare `vector(1) > 0` folded to a number) reads as one sample
  return data.resultType === 'scalar'
    ? [{ metric: {}, value: data.result as [number, string] }]
    : (data.result as Sample[]);
}

export async function rangeQuery(
  baseUrl: string,
  query: string,
  range: { start: number; end: number; stepSeconds: number },
): Promise<Series[]> {
  const data = await get<{ result: Series[] }>(baseUrl, '/api/v1/query_range', {
    query,
    start: String(range.start),
    end: String(range.end),
    step: String(range.stepSeconds),
  });
  return data.result;
}

export type RuleHealth = { name: string; type: 'alerting' | 'recording'; health: string; lastError?: string };

export async function rules(baseUrl: string): Promise<RuleHealth[]> {
  const data = await get<{ groups: { rules: RuleHealth[] }[] }>(baseUrl, '/api/v1/rules', {});
  return data.groups.flatMap((g) => g.rules);
}

// Scripted failures. Each fault applies to one route (or any route), is consumed in the order it was
// added, and fires `times` times (default 1), so "fail once, then succeed" is the natural script.

export const ROUTE_NAMES = [
  'messages',
  'count_tokens',
  'batches.create',
  'batches.retrieve',
  'batches.list',
  'batches.cancel',
  'batches.delete',
  'batches.results',
] as const;
export type RouteName = (typeof ROUTE_NAMES)[number];
/** A route name, or '*' / 'any' for every route. */
export type RouteSelector = RouteName | '*' | 'any';

export interface HttpFaultSpec {
  status: number;
  /** error.type in the body: rate_limit_error, overloaded_error, api_error, billing_error, ... */
  type: string;
  message?: string;
  /** Sets the retry-after header (seconds). Omit it for faults that retrying cannot fix. */
  retryAfterSeconds?: number;
  /** error.details in the body, e.g. {error_code: 'enforced_spend_limit_reached'}. */
  details?: Record<string, unknown>;
  /** Sets x-should-retry: true/false (the SDK obeys it over its own status rules). */
  shouldRetry?: boolean;
  times?: number;
}

export type ResultFaultSpec = (
  | { type: 'errored'; errorType: 'api_error' | 'overloaded_error' | 'invalid_request_error'; message?: string }
  | { type: 'expired' }
  | { type: 'canceled' }
  /** A succeeded result whose text is not valid JSON for the requested schema. */
  | { type: 'malformed' }
) & { times?: number };

export interface FaultPlan {
  /** The next `times` calls to `route` answer this HTTP error instead. */
  http(route: RouteSelector, spec: HttpFaultSpec): void;
  /** The monthly spend cap: 429 rate_limit_error, error_code enforced_spend_limit_reached, no retry-after. */
  spendCap(route: RouteSelector, times?: number): void;
  /** The next `times` calls to `route` get their socket destroyed before any answer. */
  dropConnection(route: RouteSelector, times?: number): void;
  /** The next `times` results downloads of the batch (or '*') stop after `afterLines` lines, socket destroyed. */
  truncateResults(batchIdOrAny: string, afterLines: number, times?: number): void;
  /** The next `times` times a batch holding `customId` ends, that request gets this outcome. */
  result(customId: string, spec: ResultFaultSpec): void;
  /** Faults added but not yet consumed. */
  pending(): number;
  clear(): void;
}

export type RequestFault = { kind: 'http'; spec: HttpFaultSpec } | { kind: 'drop' };

interface Counted<T> {
  remaining: number;
  value: T;
}

function take<T>(queue: Counted<T>[], matches: (value: T) => boolean): T | null {
  const index = queue.findIndex((entry) => entry.remaining > 0 && matches(entry.value));
  if (index === -1) return null;
  const entry = queue[index]!;
  entry.remaining -= 1;
  if (entry.remaining <= 0) queue.splice(index, 1);
  return entry.value;
}

function timesOf(times: number | undefined): number {
  const value = times ?? 1;
  if (!(value >= 1)) throw new Error(`fault times must be at least 1, got ${String(times)}`);
  return value;
}

export class Faults implements FaultPlan {
  private readonly requestFaults: Counted<{ route: RouteSelector; fault: RequestFault }>[] = [];
  private readonly truncations: Counted<{ batch: string; afterLines: number }>[] = [];
  private readonly resultFaults: Counted<{ customId: string; spec: ResultFaultSpec }>[] = [];

  http(route: RouteSelector, spec: HttpFaultSpec): void {
    this.requestFaults.push({ remaining: timesOf(spec.times), value: { route, fault: { kind: 'http', spec } } });
  }

  spendCap(route: RouteSelector, times?: number): void {
    this.http(route, {
      status: 429,
      type: 'rate_limit_error',
      message: 'You have reached your specified API usage limits. You will regain access on the first day of next month.',
      details: { error_code: 'enforced_spend_limit_reached' },
      times: timesOf(times),
    });
  }

  dropConnection(route: RouteSelector, times?: number): void {
    this.requestFaults.push({ remaining: timesOf(times), value: { route, fault: { kind: 'drop' } } });
  }

  truncateResults(batchIdOrAny: string, afterLines: number, times?: number): void {
    if (!Number.isInteger(afterLines) || afterLines < 0) throw new Error(`afterLines must be a whole number, got ${afterLines}`);
    this.truncations.push({ remaining: timesOf(times), value: { batch: batchIdOrAny, afterLines } });
  }

  result(customId: string, spec: ResultFaultSpec): void {
    this.resultFaults.push({ remaining: timesOf(spec.times), value: { customId, spec } });
  }

  pending(): number {
    return [...this.requestFaults, ...this.truncations, ...this.resultFaults].reduce((n, e) => n + e.remaining, 0);
  }

  clear(): void {
    this.requestFaults.length = 0;
    this.truncations.length = 0;
    this.resultFaults.length = 0;
  }

  /** @internal the fault for this call, consumed. */
  takeRequestFault(route: RouteName): RequestFault | null {
    const isAny = (r: RouteSelector): boolean => r === '*' || r === 'any';
    return take(this.requestFaults, (f) => f.route === route || isAny(f.route))?.fault ?? null;
  }

  /** @internal lines to send before cutting this download, consumed; null = send everything. */
  takeTruncation(batchId: string): number | null {
    const isAny = (b: string): boolean => b === '*' || b === 'any';
    return take(this.truncations, (t) => t.batch === batchId || isAny(t.batch))?.afterLines ?? null;
  }

  /** @internal the scripted outcome for this request, consumed. */
  takeResultFault(customId: string): ResultFaultSpec | null {
    return take(this.resultFaults, (f) => f.customId === customId)?.spec ?? null;
  }
}

import { Agent, request } from "node:http";
import type { PreparedRequest } from "@/bench/lib/traffic";

// Two load shapes over keep-alive node:http:
// - open loop: request i is sent at start + i/rate whether or not earlier ones have answered, and its
//   latency counts from that scheduled instant, so a server that falls behind shows it in the
//   percentiles (no coordinated omission);
// - closed loop: N clients each send, wait for the answer, send again — the maximum throughput.

export interface Target {
  host: string;
  port: number;
}

export function targetOf(url: string): Target {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}

export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, keepAliveMsecs: 1_000 });
}

export interface Outcome {
  /** HTTP status, or 0 when no answer came (refused, reset, timed out). */
  status: number;
  error?: string;
}

export function send(target: Target, agent: Agent, req: PreparedRequest, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const r = request({ host: target.host, port: target.port, method: req.method, path: req.path, headers: req.headers, agent }, (res) => {
      res.on("data", () => undefined); // drain, so the socket goes back to the pool
      res.on("end", () => done({ status: res.statusCode ?? 0 }));
      res.on("error", (err) => done({ status: 0, error: errorCode(err) }));
    });
    r.setTimeout(timeoutMs, () => r.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    r.on("error", (err) => done({ status: 0, error: errorCode(err) }));
    r.end(req.body);
  });
}

function errorCode(err: Error): string {
  return (err as NodeJS.ErrnoException).code ?? err.message;
}

// ------------------------------------------------------------------------------------------- open loop

export interface OpenLoopSample extends Outcome {
  index: number;
  /** Milliseconds from the start of the schedule to this request's scheduled send. */
  scheduledAt: number;
  /** How late the generator actually sent it (its own overhead, should stay ~0–2 ms). */
  lagMs: number;
  /** From the scheduled send to the end of the response (or the error). */
  latencyMs: number;
}

export interface OpenLoopResult {
  samples: OpenLoopSample[];
  /** Milliseconds from the start of the schedule to the last answer. */
  elapsedMs: number;
  /** performance.now() at the start of the schedule. */
  startedAt: number;
}

export async function runOpenLoop(o: {
  target: Target;
  agent: Agent;
  requests: PreparedRequest[];
  rate: number;
  timeoutMs: number;
  /** Called once, this many ms into the schedule (the kill bench's crash). */
  at?: { ms: number; fn: () => void };
}): Promise<OpenLoopResult> {
  const interval = 1_000 / o.rate;
  const startedAt = performance.now() + 20;
  const samples: OpenLoopSample[] = new Array(o.requests.length);
  const inFlight: Array<Promise<void>> = [];
  let next = 0;
  if (o.at) setTimeout(o.at.fn, Math.max(0, startedAt + o.at.ms - performance.now()));

  const fire = (index: number) => {
    const scheduledAt = index * interval;
    const lagMs = performance.now() - (startedAt + scheduledAt);
    inFlight.push(
      send(o.target, o.agent, o.requests[index]!, o.timeoutMs).then((outcome) => {
        samples[index] = { ...outcome, index, scheduledAt, lagMs, latencyMs: performance.now() - (startedAt + scheduledAt) };
      }),
    );
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < o.requests.length && startedAt + next * interval <= now) fire(next++);
      if (next >= o.requests.length) return resolve();
      setTimeout(tick, Math.max(0, startedAt + next * interval - performance.now()));
    };
    setTimeout(tick, Math.max(0, startedAt - performance.now()));
  });
  await Promise.all(inFlight);
  return { samples, elapsedMs: performance.now() - startedAt, startedAt };
}

// ----------------------------------------------------------------------------------------- closed loop

export interface ClosedLoopResult {
  clients: number;
  measuredMs: number;
  completed: number;
  ok: number;
  non200: number;
  perSecond: number;
  latenciesMs: number[];
  /** Prepared bodies sent more than once because the run outlasted them (0 = every request unique). */
  reused: number;
  errors: Record<string, number>;
}

/**
 * `clients` concurrent loops for `warmupMs` (not counted) and then `durationMs` (counted): answers
 * that end inside the measured window count, whenever they started.
 */
export async function runClosedLoop(o: {
  target: Target;
  clients: number;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
  requests: PreparedRequest[];
}): Promise<ClosedLoopResult> {
  if (o.requests.length === 0) throw new Error("runClosedLoop needs at least one prepared request");
  const agent = keepAliveAgent(o.clients);
  const begin = performance.now();
  const measureFrom = begin + o.warmupMs;
  const measureTo = measureFrom + o.durationMs;
  const result: ClosedLoopResult = { clients: o.clients, measuredMs: o.durationMs, completed: 0, ok: 0, non200: 0, perSecond: 0, latenciesMs: [], reused: 0, errors: {} };
  let cursor = 0;
  const client = async () => {
    while (performance.now() < measureTo) {
      const index = cursor++;
      if (index >= o.requests.length) result.reused++;
      const started = performance.now();
      const outcome = await send(o.target, agent, o.requests[index % o.requests.length]!, o.timeoutMs);
      const ended = performance.now();
      if (ended < measureFrom || ended > measureTo) continue;
      result.completed++;
      result.latenciesMs.push(ended - started);
      if (outcome.status === 200) result.ok++;
      else {
        result.non200++;
        const key = outcome.error ?? String(outcome.status);
        result.errors[key] = (result.errors[key] ?? 0) + 1;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: o.clients }, client));
  } finally {
    agent.destroy();
  }
  result.perSecond = result.ok / (o.durationMs / 1_000);
  return result;
}

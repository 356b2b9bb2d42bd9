import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { expect } from 'vitest';
import type { FlowGraph } from '@/lib/analytics/flows';
import type { TracedService } from './traced-service';

/** A fresh temporary folder that the dashboard's store will use (SIGNALBOX_DATA_DIR). */
export function tempDataDir(prefix: string): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.env.SIGNALBOX_DATA_DIR = dataDir;
  return dataDir;
}

/**
 * For tests that run instrumented clients and the dashboard in one process: global context and
 * W3C propagation (so a consumer's span follows its producer's), then the dashboard's OTLP, flows,
 * latency and journeys routes, imported only now so they open the store SIGNALBOX_DATA_DIR names.
 */
export async function startInProcessDashboard() {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return {
    traces: await import('@/app/v1/traces/route'),
    metrics: await import('@/app/v1/metrics/route'),
    flows: await import('@/app/api/flows/route'),
    latency: await import('@/app/api/latency/route'),
    journeys: await import('@/app/api/journeys/route'),
  };
}

export type InProcessRoutes = Awaited<ReturnType<typeof startInProcessDashboard>>;

/**
 * Posts each service's spans and metrics to the OTLP routes (every post must answer 200),
 * then reads the flow graph of the last 15 minutes.
 */
export async function exportAndReadFlows(
  routes: InProcessRoutes,
  services: readonly TracedService[],
): Promise<FlowGraph> {
  for (const s of services) expect(await s.exportTo(routes)).toEqual([200, 200]);
  return (await (
    await routes.flows.GET(new Request('http://localhost/api/flows?from=15m'))
  ).json()) as FlowGraph;
}

/** Closes the store and the services' meters, resets the OpenTelemetry globals, removes the data. */
export async function stopInProcessDashboard(
  services: readonly Pick<TracedService, 'metrics'>[],
  dataDir: string,
) {
  const { getStore } = await import('@/lib/runtime');
  await (await getStore()).close();
  for (const s of services) await s.metrics.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** Orders rows by their JSON text, so tests compare edge and node lists regardless of order. */
export const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

/** The graph's edges whose ids contain `run`, as [kind, source, target, group, messages], ordered. */
export function edgesOfRun(graph: FlowGraph, run: string) {
  return graph.edges
    .filter((e) => e.id.includes(run))
    .map((e) => [e.kind, e.source, e.target, e.consumerGroup, e.messages])
    .sort(byJson);
}

/** The graph's destination nodes whose ids contain `run`, as [id, role], ordered. */
export function destinationRolesOfRun(graph: FlowGraph, run: string) {
  return graph.nodes
    .filter((n) => n.id.includes(run) && n.kind === 'destination')
    .map((n) => [n.id, n.role])
    .sort(byJson);
}

import net from 'node:net';

export const ZIPKIN = {
  host: '127.0.0.1',
  port: 9411,
  start: 'bash scripts/brokers/zipkin.sh start',
} as const;

/**
 * Same contract as lib/testing/brokers.ts brokerGate, for the Zipkin server
 * (not a broker, so not in that list): skipped with the reason locally,
 * failing in CI.
 */
export async function zipkinGate(): Promise<{ skip: boolean; reason: string }> {
  const up = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: ZIPKIN.host, port: ZIPKIN.port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
  if (up) return { skip: false, reason: '' };
  const reason = `Zipkin not reachable at ${ZIPKIN.host}:${ZIPKIN.port} (start it: ${ZIPKIN.start})`;
  if (process.env.CI) throw new Error(`${reason}. In CI it must be up.`);
  console.warn(`skipping: ${reason}`);
  return { skip: true, reason };
}

export interface ZipkinSpan {
  name?: string;
  kind?: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

/** Polls Zipkin's query API until `serviceName` has at least `min` spans. */
export async function zipkinSpans(
  serviceName: string,
  min: number,
  timeoutMs = 30_000,
): Promise<ZipkinSpan[]> {
  const deadline = Date.now() + timeoutMs;
  const url = `http://${ZIPKIN.host}:${ZIPKIN.port}/api/v2/traces?serviceName=${encodeURIComponent(serviceName)}&limit=100&lookback=3600000`;
  for (;;) {
    const response = await fetch(url);
    if (response.ok) {
      const traces = (await response.json()) as ZipkinSpan[][];
      const spans = traces.flat();
      if (spans.length >= min) return spans;
    }
    if (Date.now() > deadline) throw new Error(`Zipkin never showed ${min} spans for ${serviceName}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

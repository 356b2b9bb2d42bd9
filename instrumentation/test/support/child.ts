import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Compiles the package into a private folder under node_modules/.cache, so
 * child `node` processes can load the real JavaScript output (what users
 * run) while the workspace's own dist/ is left alone. Module resolution from
 * there walks up to the repository's node_modules.
 */
export async function buildPackage() {
  const dir = path.join(repo, 'node_modules', '.cache', 'signalbox-instrumentation-test', randomUUID());
  const outDir = path.join(dir, 'dist');
  await mkdir(outDir, { recursive: true });
  // The package is ESM ("type": "module"); outside its folder the built .js
  // files need the same marker to load as ES modules.
  await writeFile(path.join(outDir, 'package.json'), '{ "type": "module" }\n');
  // Emits even if an unrelated file of the package does not type-check yet
  // (noEmitOnError is off); the tests below exercise only what they import.
  await run(
    process.execPath,
    [
      path.join(repo, 'node_modules/typescript/bin/tsc'),
      '-p',
      'instrumentation/tsconfig.build.json',
      '--outDir',
      outDir,
    ],
    { cwd: repo, maxBuffer: 16 * 1024 * 1024 },
  ).catch((err: { stdout?: string }) => {
    // tsc exits non-zero on type errors but has still written the files.
    if (!String(err.stdout ?? '').includes('error TS')) throw err;
  });
  return {
    dir,
    /** Absolute file URL of a built module, e.g. `auto/index.js`. */
    url: (file: string) => new URL(`file://${path.join(outDir, file)}`).href,
    file: (file: string) => path.join(outDir, file),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Writes `source` as `name` in `dir`; returns its path. */
export async function writeScript(dir: string, name: string, source: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, source);
  return file;
}

/** Writes `source` as `name` in `dir` and runs it with node; returns the JSON its last stdout line holds. */
export async function runScript<T>(
  dir: string,
  name: string,
  source: string,
  nodeArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<T> {
  const file = await writeScript(dir, name, source);
  const { stdout } = await run(process.execPath, [...nodeArgs, file], {
    cwd: repo,
    env: { ...process.env, ...env },
    timeout: 90_000,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((err: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(
      `${name} failed: ${err.message}\nstdout:\n${err.stdout ?? ''}\nstderr:\n${err.stderr ?? ''}`,
    );
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}

/** The span fields the child processes print. */
export interface ChildSpan {
  name: string;
  kind: number;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string }[];
}

/** JavaScript (usable in both .cjs and .mjs children) that turns finished spans into ChildSpan JSON. */
export const SPANS_TO_JSON = `
function spansToJson(spans) {
  return JSON.stringify(spans.map((s) => ({
    name: s.name,
    kind: s.kind,
    scope: s.instrumentationScope.name,
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanContext?.spanId,
    attributes: s.attributes,
    links: s.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId })),
  })));
}`;

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What a user of the published package gets: `npm pack` (which builds first),
// the tarball installed into a fresh project, every entry point loaded from
// ESM and from CommonJS. The project sits under the repository's node_modules
// so that the peer dependencies (@opentelemetry/*) resolve to the installed
// ones, as they would from the user's own node_modules; nothing is downloaded.
const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const project = path.join(repo, 'node_modules', '.cache', 'signalbox-pack-test', randomUUID());

/** Per entry point, exports a user relies on, with what each must be. */
const ENTRY_POINTS = {
  '@signalbox/instrumentation': {
    instrumentKafkaProducer: 'function',
    instrumentAmqpChannel: 'function',
    deadLetterKafka: 'function',
    PATHWAY_HEADER: 'string',
  },
  '@signalbox/instrumentation/auto': { signalboxInstrumentations: 'function' },
  '@signalbox/instrumentation/register': { register: 'function' },
  '@signalbox/instrumentation/protocol': {
    PATHWAY_HEADER: 'string',
    DLQ_HEADERS: 'object',
    REPLAY_HEADERS: 'object',
    parseDeadLetter: 'function',
    TwoGenerationMap: 'function',
    natsSubjectMatches: 'function',
  },
} as const;

const probe = (load: (id: string) => string) => `
const want = ${JSON.stringify(ENTRY_POINTS)};
const seen = {};
for (const [id, names] of Object.entries(want)) {
  const m = ${load('id')};
  seen[id] = Object.fromEntries(Object.keys(names).map((n) => [n, typeof m[n]]));
}
console.log(JSON.stringify(seen));
`;

let tarball = '';

describe('the packed package, installed as a user would', () => {
  beforeAll(async () => {
    await mkdir(project, { recursive: true });
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', project], {
      cwd: path.join(repo, 'instrumentation'),
      maxBuffer: 16 * 1024 * 1024,
    });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = path.join(project, packed!.filename);
    await writeFile(path.join(project, 'package.json'), '{ "name": "pack-smoke", "private": true }\n');
    await run(
      'npm',
      [
        'install',
        '--no-save',
        '--no-package-lock',
        '--legacy-peer-deps',
        '--ignore-scripts',
        '--offline',
        tarball,
      ],
      { cwd: project },
    );
  }, 180_000);

  afterAll(() => rm(project, { recursive: true, force: true }));

  it('ships the built entry points and their types', async () => {
    const dist = path.join(project, 'node_modules', '@signalbox', 'instrumentation', 'dist');
    const files = await readdir(dist);
    for (const entry of ['index', 'protocol']) {
      expect(files).toContain(`${entry}.js`);
      expect(files).toContain(`${entry}.d.ts`);
    }
    for (const entry of ['auto', 'register'])
      expect(await readdir(path.join(dist, entry))).toContain('index.d.ts');
  });

  it.each([
    ['ESM (import)', 'probe.mjs', probe((id) => `await import(${id})`)],
    ['CommonJS (require)', 'probe.cjs', probe((id) => `require(${id})`)],
  ])('loads every entry point from %s', async (_how, file, source) => {
    await writeFile(path.join(project, file), source);
    const { stdout } = await run(process.execPath, [file], { cwd: project });
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, Record<string, string>>;
    expect(seen).toEqual(ENTRY_POINTS);
  });
});

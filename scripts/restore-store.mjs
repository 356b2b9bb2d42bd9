#!/usr/bin/env node
// Puts a backup of the store back (README, "Backup and restore"):
//
//   npm run restore -- <backup.duckdb> [--data-dir DIR]
//
// The dashboard must be stopped: DuckDB lets one process hold the file, and a
// running dashboard would keep writing to the file this replaces. The data
// dir is --data-dir, else SIGNALBOX_DATA_DIR, else ./data, as the dashboard
// reads it. The current store is kept beside it as
// signalbox.duckdb.before-restore-<time> (with its .wal, if any): nothing is
// deleted, and undoing a restore is renaming it back.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const STORE_FILE = 'signalbox.duckdb';

function fail(message) {
  console.error(`restore: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  let backup;
  let dataDir = process.env.SIGNALBOX_DATA_DIR || 'data';
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--data-dir') dataDir = argv[++i] ?? fail('--data-dir needs a folder');
    else if (argv[i].startsWith('-')) fail(`unknown option ${argv[i]}`);
    else if (backup) fail('give one backup file');
    else backup = argv[i];
  }
  if (!backup) fail('usage: npm run restore -- <backup.duckdb> [--data-dir DIR]');
  return { backup: path.resolve(backup), dataDir: path.resolve(dataDir) };
}

/** Opens a DuckDB file, runs `use` and closes it; the error names the file. */
async function withDatabase(file, options, use) {
  const instance = await DuckDBInstance.create(file, options);
  const connection = await instance.connect();
  try {
    return await use(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const rows = async (connection, sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS();

/** What the backup holds, or why it is not a Signalbox store. */
async function describeBackup(file) {
  if (!fs.existsSync(file)) fail(`${file} does not exist`);
  try {
    return await withDatabase(file, { access_mode: 'READ_ONLY' }, async (c) => {
      const [meta] = await rows(
        c,
        `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'store_meta'`,
      );
      if (Number(meta.n) === 0)
        fail(`${file} is a DuckDB file but not a Signalbox store (no store_meta table)`);
      const [version] = await rows(c, `SELECT value FROM store_meta WHERE key = 'schema_version'`);
      const [spans] = await rows(c, 'SELECT count(*) AS n FROM messaging_spans');
      return { schema: version?.value ?? '?', spans: Number(spans.n) };
    });
  } catch (error) {
    fail(`cannot read ${file} as a DuckDB file: ${error.message}`);
  }
}

/** Refuses while a process (the dashboard) holds the store: DuckDB's lock says so. */
async function ensureNotInUse(file) {
  if (!fs.existsSync(file)) return;
  try {
    await withDatabase(file, {}, async () => undefined);
  } catch (error) {
    if (/lock/i.test(error.message))
      fail(`${file} is open in another process (is the dashboard running?). Stop it, then restore.`);
    console.warn(`restore: the current store could not be opened (${error.message}); replacing it anyway`);
  }
}

const { backup, dataDir } = parseArgs(process.argv.slice(2));
const store = path.join(dataDir, STORE_FILE);
const held = await describeBackup(backup);
await ensureNotInUse(store);
fs.mkdirSync(dataDir, { recursive: true });

const stamp = new Date().toISOString().replaceAll(':', '-');
const aside = `${store}.before-restore-${stamp}`;
if (fs.existsSync(store)) {
  fs.renameSync(store, aside);
  if (fs.existsSync(`${store}.wal`)) fs.renameSync(`${store}.wal`, `${aside}.wal`);
  console.log(`restore: the current store is kept as ${aside}`);
}
// Copied under another name first: a crash mid-copy leaves no half store under the real name.
fs.copyFileSync(backup, `${store}.restoring`);
fs.renameSync(`${store}.restoring`, store);
console.log(
  `restore: ${store} is now ${path.basename(backup)} (schema ${held.schema}, ${held.spans} spans). Start the dashboard.`,
);

#!/usr/bin/env node
// The dashboard's server entry, run from the standalone build's folder
// (.next/standalone/serve.mjs: `npm start` and the Dockerfile put it there).
//
// Without TLS settings it is Next's own standalone server.js, unchanged.
// With SIGNALBOX_TLS_CERT_FILE and SIGNALBOX_TLS_KEY_FILE it serves HTTPS
// itself: Next's standalone server cannot (its start-server refuses a
// certificate outside `next dev`), so this runs the same app through Next's
// documented custom-server API (next() + getRequestHandler) on node:https.
// A renewed certificate (cert-manager, certbot) is picked up without a
// restart: the files are checked every 30 s.
import fs from 'node:fs';
import https from 'node:https';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const certFile = process.env.SIGNALBOX_TLS_CERT_FILE;
const keyFile = process.env.SIGNALBOX_TLS_KEY_FILE;

function fail(message) {
  console.error(`signalbox: ${message}`);
  process.exit(1);
}

/** The certificate and key, read now; the error says which file and why. */
function readTls() {
  const read = (key, file) => {
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new Error(`${key}=${file}: cannot read it (${error.code ?? error.message})`, { cause: error });
    }
  };
  return { cert: read('SIGNALBOX_TLS_CERT_FILE', certFile), key: read('SIGNALBOX_TLS_KEY_FILE', keyFile) };
}

if (!certFile && !keyFile) {
  await import(path.join(dir, 'server.js'));
} else {
  if (!certFile || !keyFile)
    fail('direct HTTPS needs both SIGNALBOX_TLS_CERT_FILE and SIGNALBOX_TLS_KEY_FILE (PEM files)');
  let tls;
  try {
    tls = readTls();
    // Fails here, with the reason, on a key that does not match its certificate or a file that is not PEM.
    https.createServer(tls).close();
  } catch (error) {
    fail(`cannot serve HTTPS: ${error.message}`);
  }

  // As server.js does: production mode, in the build's folder, with the configuration it was built with.
  process.env.NODE_ENV = 'production';
  process.chdir(dir);
  const { config } = JSON.parse(fs.readFileSync(path.join(dir, '.next/required-server-files.json'), 'utf8'));
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
  const next = module.createRequire(import.meta.url)('next');
  const port = Number.parseInt(process.env.PORT ?? '', 10) || 3000;
  const hostname = process.env.HOSTNAME || '0.0.0.0';
  const app = next({ dir, dev: false, hostname, port, conf: config });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = https.createServer(tls, (request, response) => {
    // Browsers that saw HTTPS here keep to it; the policy only reaches them over HTTPS.
    response.setHeader('strict-transport-security', 'max-age=31536000');
    handle(request, response);
  });
  server.on('error', (error) => fail(`cannot listen on ${hostname}:${port}: ${error.message}`));
  server.listen(port, hostname, () => console.log(`signalbox: serving HTTPS on ${hostname}:${port}`));

  const stamp = () =>
    [certFile, keyFile].map((f) => fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs).join();
  let last = stamp();
  setInterval(() => {
    const now = stamp();
    if (now === last) return;
    last = now;
    try {
      server.setSecureContext(readTls());
      console.log('signalbox: the TLS certificate changed on disk; new connections use it');
    } catch (error) {
      // A renewal caught halfway (the key written, not yet the certificate): keep serving the old one.
      console.error(`signalbox: kept the previous TLS certificate: ${error.message}`);
    }
  }, 30_000).unref();
}

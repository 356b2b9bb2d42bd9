#!/usr/bin/env node
// The Docker image's HEALTHCHECK: exits 0 when this container's /api/health
// answers 200, over HTTPS when the dashboard serves it (scripts/serve.mjs).
// The certificate is not checked: this asks the process beside it, by
// address, whatever name the certificate is for.
import http from 'node:http';
import https from 'node:https';

const tls = Boolean(process.env.SIGNALBOX_TLS_CERT_FILE);
const url = `${tls ? 'https' : 'http'}://127.0.0.1:${process.env.PORT || 3000}/api/health`;
(tls ? https : http)
  .get(url, { rejectUnauthorized: false, timeout: 4000 }, (response) => {
    response.resume();
    process.exit(response.statusCode === 200 ? 0 : 1);
  })
  .on('timeout', () => process.exit(1))
  .on('error', () => process.exit(1));

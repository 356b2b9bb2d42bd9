const dev = process.env.NODE_ENV === 'development';

/*
 * Content-Security-Policy for every response. The App Router streams inline
 * <script> tags (the RSC payload, the theme script before hydration), so
 * scripts need 'unsafe-inline': nonces would make every page dynamic and need
 * a proxy to mint them. With no third-party origin allowed, inline is the
 * remaining risk, and React escapes what it renders. Styles are inline too
 * (React Flow and Recharts position with style attributes). `next dev` also
 * needs eval (source maps, fast refresh) and its websocket.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  // The dashboard is never framed (clickjacking on the replay buttons).
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = [
  { key: 'Content-Security-Policy', value: contentSecurityPolicy },
  // Links out (Jaeger, Grafana) carry no dashboard URL, whose query names traces and queues.
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A self-contained server in .next/standalone (server.js plus the node_modules it needs):
  // what scripts/start.mjs runs and what the Docker image ships.
  output: 'standalone',
  // This folder, not a parent with its own lockfile: server.js lands at .next/standalone/server.js.
  outputFileTracingRoot: import.meta.dirname,
  // DuckDB is a native addon: load it from node_modules at run time, never bundle it; nor
  // grpc-js (the OTLP/gRPC listener), which loads its own files at run time.
  serverExternalPackages: ['@duckdb/node-api', '@duckdb/node-bindings', '@grpc/grpc-js'],
  // The addon loads libduckdb at run time, which the file tracer cannot see: copy the
  // platform package (only the one installed for this machine exists) whole.
  outputFileTracingIncludes: { '/*': ['node_modules/@duckdb/node-bindings-*/*'] },
  poweredByHeader: false,
  // Ingest bodies are read as streams with our own limit (SIGNALBOX_OTLP_MAX_BODY_BYTES).
  reactStrictMode: true,
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;

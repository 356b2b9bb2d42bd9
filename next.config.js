/** @type {import('next').NextConfig} */
const nextConfig = {
  // DuckDB is a native addon: load it from node_modules at run time, never bundle it.
  serverExternalPackages: ['@duckdb/node-api', '@duckdb/node-bindings'],
  poweredByHeader: false,
  // Ingest bodies are read as streams with our own limit (SIGNALBOX_OTLP_MAX_BODY_BYTES).
  reactStrictMode: true,
};

export default nextConfig;

// The flags every headless Chromium we start gets (the e2e tests, screenshots, the UI bench):
// no sandbox or GPU in containers, and no background traffic to skew what is measured.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/*
 * The realm scripts/brokers/keycloak.sh imports
 * (scripts/brokers/keycloak/signalbox-realm.json), as the tests know it:
 * shared by the vitest and the Playwright tests.
 */

export const KEYCLOAK = {
  url: 'http://127.0.0.1:8180',
  issuer: 'http://127.0.0.1:8180/realms/signalbox',
  clientId: 'signalbox-dashboard',
  clientSecret: 'signalbox-test-secret',
} as const;

/** The realm's people: username → the display name Keycloak sends (`name`). */
export const PEOPLE = {
  vera: 'Vera Viewer',
  rita: 'Rita Reader',
  omar: 'Omar Operator',
  ada: 'Ada Admin',
  nora: 'Nora Nobody',
} as const;

export type Person = keyof typeof PEOPLE;

/** Role map the tests configure: the realm's default group names, plus a team limited to payments. */
export const TEST_ROLE_MAP = JSON.stringify({
  'signalbox-viewers': 'viewer',
  'signalbox-readers': 'reader',
  'signalbox-admins': 'admin',
  'payments-operators': { role: 'operator', destinations: ['payments.*'] },
});

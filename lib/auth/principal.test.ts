import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_MAP } from '@/lib/config/auth';
import type { Grant } from '@/lib/model/access';
import { AccessError } from './access-error';
import { type Principal, actorOf, allows, authorize, highestRole } from './principal';
import { displayName, grantsFromClaims } from './role-mapping';

const person = (grants: Grant[]): Principal => ({
  kind: 'session',
  name: 'Omar Operator',
  subject: 'sub-1',
  idp: 'keycloak',
  tokenId: null,
  grants,
});
const all = (role: Grant['role']): Grant => ({ role, systems: null, destinations: null });
const payments: Grant = { role: 'operator', systems: null, destinations: ['payments.*'] };
const rabbitPayments = { system: 'rabbitmq', destination: 'payments.dlq' };
const kafkaOrders = { system: 'kafka', destination: 'orders.DLT' };

describe('roles and scopes', () => {
  it('lets each role do what the roles below it do, and no more', () => {
    expect(allows(person([all('viewer')]), 'view')).toBe(true);
    expect(allows(person([all('viewer')]), 'read', rabbitPayments)).toBe(false);
    expect(allows(person([all('reader')]), 'read', rabbitPayments)).toBe(true);
    expect(allows(person([all('reader')]), 'change', rabbitPayments)).toBe(false);
    expect(allows(person([all('operator')]), 'change', kafkaOrders)).toBe(true);
    expect(allows(person([all('operator')]), 'administer')).toBe(false);
    expect(allows(person([all('admin')]), 'administer')).toBe(true);
  });

  it('limits an operator of payments.* to those destinations, while the shared views stay open', () => {
    const omar = person([payments]);
    expect(allows(omar, 'change', rabbitPayments)).toBe(true);
    expect(allows(omar, 'change', kafkaOrders)).toBe(false);
    expect(allows(omar, 'read', kafkaOrders)).toBe(false);
    expect(allows(omar, 'view')).toBe(true);
    expect(allows(omar, 'change', { system: 'rabbitmq', destination: 'paymentsXdlq' })).toBe(false);
  });

  it('limits by system too: both limits must pass', () => {
    const p = person([{ role: 'reader', systems: ['rabbitmq'], destinations: ['payments.*'] }]);
    expect(allows(p, 'read', rabbitPayments)).toBe(true);
    expect(allows(p, 'read', { system: 'kafka', destination: 'payments.dlq' })).toBe(false);
  });

  it('answers 401 to nobody and 403 with what is needed and what is held', () => {
    expect(() => authorize(null, 'view')).toThrow(expect.objectContaining({ status: 401 }));
    try {
      authorize(person([payments]), 'change', kafkaOrders);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AccessError);
      expect((error as AccessError).status).toBe(403);
      expect((error as AccessError).message).toBe(
        'To replay, delete or purge dead letters on orders.DLT (kafka) you need the operator role; ' +
          'Omar Operator has operator on payments.*.',
      );
    }
    expect(() => authorize(person([]), 'view')).toThrow(/has no Signalbox role/);
  });

  it('records the verified identity, not a typed name', () => {
    expect(actorOf(person([payments]))).toEqual({
      name: 'Omar Operator',
      subject: 'sub-1',
      idp: 'keycloak',
      tokenId: null,
    });
    expect(highestRole(person([payments, all('reader')]))).toBe('operator');
    expect(highestRole(person([]))).toBeNull();
  });
});

describe('mapping IdP claims to grants', () => {
  const config = {
    rolesClaim: 'groups',
    roleMap: { ...DEFAULT_ROLE_MAP, 'payments-operators': [payments] },
  };

  it('maps each known group, in plain or full-path form, and ignores the rest', () => {
    expect(grantsFromClaims({ groups: ['payments-operators', 'staff'] }, config)).toEqual([payments]);
    expect(grantsFromClaims({ groups: ['/signalbox-admins'] }, config)).toEqual([all('admin')]);
    expect(grantsFromClaims({ groups: 'signalbox-readers' }, config)).toEqual([all('reader')]);
    expect(grantsFromClaims({}, config)).toEqual([]);
    expect(grantsFromClaims({ groups: [42, null] }, config)).toEqual([]);
  });

  it('names a person by name, then username, e-mail or subject', () => {
    expect(displayName({ name: 'Ada Admin', preferred_username: 'ada' })).toBe('Ada Admin');
    expect(displayName({ preferred_username: 'ada', sub: 'x' })).toBe('ada');
    expect(displayName({ sub: 'x' })).toBe('x');
  });
});

import { describe, expect, it } from 'vitest';
import { ACTIONS, ANONYMOUS, ROLES, ROLE_LABELS, actingRole, can, isAction, isRole, type Action, type Principal, type Role } from './policy.ts';

const LAMBETH = '11111111-1111-4111-8111-111111111111';
const SOUTHWARK = '22222222-2222-4222-8222-222222222222';

const person = (roles: Role[], authorityId: string | null = LAMBETH, userId: string | null = 'u1'): Principal => ({
  userId,
  authorityId,
  roles,
  displayName: 'Ada',
  via: 'web',
});

const inLambeth = { authorityId: LAMBETH };
const inSouthwark = { authorityId: SOUTHWARK };
const noAuthority = { authorityId: null };

describe('roles', () => {
  it('has a label for every role', () => {
    expect(Object.keys(ROLE_LABELS).sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) expect(ROLE_LABELS[role].length).toBeGreaterThan(0);
  });

  it('knows its roles and nothing else', () => {
    for (const role of ROLES) expect(isRole(role)).toBe(true);
    for (const other of ['', 'Admin', 'superuser', 'toString', 'constructor', ' admin']) expect(isRole(other)).toBe(false);
  });
});

describe('isAction', () => {
  it('accepts every action in the rules', () => {
    expect(ACTIONS.length).toBeGreaterThan(0);
    for (const action of ACTIONS) expect(isAction(action)).toBe(true);
  });

  it.each([undefined, null, 1, '', 'public', 'PUBLIC.VIEW', 'admin.everything'])('rejects %j', (value) => {
    expect(isAction(value)).toBe(false);
  });

  it.each(['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf'])('rejects the inherited name %s', (value) => {
    expect(isAction(value)).toBe(false);
  });
});

describe('can', () => {
  it('lets anyone, signed in or not, see public pages and sign in', () => {
    for (const principal of [ANONYMOUS, person(['resident']), person(['admin'], SOUTHWARK)]) {
      for (const target of [inLambeth, inSouthwark, noAuthority]) {
        expect(can(principal, 'public.view', target)).toBe(true);
        expect(can(principal, 'account.sign-in', target)).toBe(true);
      }
    }
  });

  it('shows the account and dashboard only to someone signed in', () => {
    for (const action of ['account.view', 'dashboard.view'] as const) {
      expect(can(ANONYMOUS, action, noAuthority)).toBe(false);
      expect(can(ANONYMOUS, action, inLambeth)).toBe(false);
      expect(can(person([]), action, noAuthority)).toBe(true);
      expect(can(person(['resident']), action, inSouthwark)).toBe(true);
    }
  });

  describe('membership.join', () => {
    it('lets anyone not signed in start to join any co-operative', () => {
      expect(can(ANONYMOUS, 'membership.join', inLambeth)).toBe(true);
      expect(can(ANONYMOUS, 'membership.join', inSouthwark)).toBe(true);
    });

    it('lets a signed-in person join only their own authority’s co-operative', () => {
      expect(can(person(['resident']), 'membership.join', inLambeth)).toBe(true);
      expect(can(person(['resident']), 'membership.join', inSouthwark)).toBe(false);
      expect(can(person(['admin']), 'membership.join', inSouthwark)).toBe(false);
    });
  });

  const STAFF_ACTIONS: Action[] = ['membership.manage', 'organisations.manage', 'catalogue.manage'];
  const ADMIN_ACTIONS: Action[] = ['audit.view', 'outbox.view', 'users.manage'];

  it.each(STAFF_ACTIONS)('%s: officers and admins of the authority only', (action) => {
    expect(can(person(['officer']), action, inLambeth)).toBe(true);
    expect(can(person(['admin']), action, inLambeth)).toBe(true);
    expect(can(person(['resident', 'officer']), action, inLambeth)).toBe(true);
    for (const role of ['resident', 'community_rep', 'partner_officer', 'councillor'] as const) {
      expect(can(person([role]), action, inLambeth)).toBe(false);
    }
    expect(can(person([]), action, inLambeth)).toBe(false);
    expect(can(ANONYMOUS, action, inLambeth)).toBe(false);
  });

  it.each(ADMIN_ACTIONS)('%s: admins of the authority only', (action) => {
    expect(can(person(['admin']), action, inLambeth)).toBe(true);
    for (const role of ['resident', 'community_rep', 'officer', 'partner_officer', 'councillor'] as const) {
      expect(can(person([role]), action, inLambeth)).toBe(false);
    }
    expect(can(ANONYMOUS, action, inLambeth)).toBe(false);
  });

  it.each([...STAFF_ACTIONS, ...ADMIN_ACTIONS])('%s: never in another authority, or with no authority', (action) => {
    const admin = person(['admin', 'officer']);
    expect(can(admin, action, inSouthwark)).toBe(false);
    expect(can(admin, action, noAuthority)).toBe(false);
    // An admin with no authority of their own does not match a target with none either.
    expect(can(person(['admin'], null), action, noAuthority)).toBe(false);
  });

  it('does not trust roles without a signed-in user', () => {
    const forged: Principal = { userId: null, authorityId: LAMBETH, roles: ['admin'], displayName: null, via: 'api' };
    for (const action of [...STAFF_ACTIONS, ...ADMIN_ACTIONS, 'account.view', 'dashboard.view'] as Action[]) {
      expect(can(forged, action, inLambeth)).toBe(false);
    }
  });

  it('treats API tokens the same as web sessions', () => {
    const viaApi: Principal = { ...person(['officer']), via: 'api' };
    expect(can(viaApi, 'catalogue.manage', inLambeth)).toBe(true);
    expect(can(viaApi, 'catalogue.manage', inSouthwark)).toBe(false);
    expect(can(viaApi, 'users.manage', inLambeth)).toBe(false);
  });
});

describe('actingRole', () => {
  it('is anonymous for someone not signed in, whatever roles they claim', () => {
    expect(actingRole(ANONYMOUS)).toBe('anonymous');
    expect(actingRole({ ...ANONYMOUS, roles: ['admin'] })).toBe('anonymous');
  });

  it('is the most senior role held', () => {
    expect(actingRole(person(['resident', 'admin', 'officer']))).toBe('admin');
    expect(actingRole(person(['officer', 'resident']))).toBe('officer');
    expect(actingRole(person(['community_rep', 'resident']))).toBe('community_rep');
    expect(actingRole(person(['partner_officer', 'officer']))).toBe('partner_officer');
    expect(actingRole(person(['councillor', 'officer']))).toBe('councillor');
    expect(actingRole(person(['resident']))).toBe('resident');
  });

  it('is resident for a signed-in person with no roles', () => {
    expect(actingRole(person([]))).toBe('resident');
  });
});

/**
 * The everyday work of the org's Okta administrators: opening the Admin Console (an app sign-on that
 * Okta logs as a policy evaluation followed by the admin app access) and the routine changes made there:
 * group membership, app assignment, joiners, leavers and unlocks. The hijacked-admin attack reuses
 * `adminConsole`, so its console sign-on looks like a real one.
 */
import { appTarget, appUserTarget, loginOf, userActor, userTarget, type LogTarget } from './events.ts';
import { oktaId, type Location, type User, type UserAgent } from './org.ts';
import type { Rng } from './prng.ts';
import { SEC } from './clock.ts';
import { behaviors, POLICY_ALLOW } from './sign-in.ts';
import type { EventBody, Sink } from './sink.ts';

export function adminConsole(sink: Sink, rng: Rng, u: User, at: number, from: Location, ua: UserAgent, session: string, dtHash?: string, newPlace = false): void {
  const base = { actor: userActor(u), from, ua, session, dtHash };
  // Opening the Admin Console is an app sign-on: Okta evaluates the console's policy first.
  sink.emit(rng, {
    ...base,
    ...POLICY_ALLOW,
    at,
    requestUri: '/oauth2/v1/authorize',
    debugData: { behaviors: behaviors(newPlace) },
    target: [
      { ...appTarget(sink.org.adminConsole), detailEntry: { signOnModeEvaluationResult: 'AUTHENTICATED', signOnModeType: 'OPENID_CONNECT' } },
      { id: sink.org.ids.adminConsolePolicy, type: 'PolicyEntity', alternateId: 'unknown', displayName: 'Okta Admin Console', detailEntry: { policyType: 'Okta:SignOn' } },
    ],
  });
  sink.emit(rng, {
    ...base,
    at: at + rng.int(1, 4) * SEC,
    eventType: 'user.session.access_admin_app',
    displayMessage: 'User accessing Okta admin app',
    legacyEventType: 'app.admin.sso.login.success',
    requestUri: '/admin/sso/callback',
    target: [appUserTarget(u, sink.org.adminConsole)],
  });
}

/** Adding a user to a group or taking them out: the event and the Admin Console action behind it. */
const GROUP_MEMBERSHIP = {
  'group.add': { eventType: 'group.user_membership.add', displayMessage: 'Add user to group membership', legacyEventType: 'core.user_group_member.user_add', action: 'addUser' },
  'group.remove': { eventType: 'group.user_membership.remove', displayMessage: 'Remove user from group membership', legacyEventType: 'core.user_group_member.user_remove', action: 'removeUser' },
} as const;

/** Changes to one user's account, and the Users API lifecycle operation each calls (none for create). */
const ACCOUNT_CHANGES = {
  create: { eventType: 'user.lifecycle.create', displayMessage: 'Create Okta user', legacyEventType: 'core.user.config.user_creation.success', lifecycle: null },
  activate: { eventType: 'user.lifecycle.activate', displayMessage: 'Activate Okta user', legacyEventType: 'core.user.config.user_activated', lifecycle: 'activate' },
  deactivate: { eventType: 'user.lifecycle.deactivate', displayMessage: 'Deactivate Okta user', legacyEventType: 'core.user.config.user_deactivated', lifecycle: 'deactivate' },
  unlock: { eventType: 'user.account.unlock', displayMessage: 'Unlock user account', legacyEventType: 'core.user.config.user_unlocked', lifecycle: 'unlock' },
} as const;

const accountChange = (change: keyof typeof ACCOUNT_CHANGES, user: Pick<User, 'id' | 'login' | 'displayName'>): EventBody => {
  const { lifecycle, ...event } = ACCOUNT_CHANGES[change];
  return { ...event, requestUri: lifecycle ? `/api/v1/users/${user.id}/lifecycle/${lifecycle}` : '/api/v1/users', target: [userTarget(user)] };
};

/** Everyday Okta administration: group membership, app assignment, joiners and leavers. */
export function adminAction(sink: Sink, rng: Rng, admin: User, at: number, from: Location, ua: UserAgent, session: string, dtHash: string): number {
  const org = sink.org;
  const base = { actor: userActor(admin), from, ua, session, dtHash };
  const someone = rng.pick(org.users);
  const kind = rng.weighted([
    ['group.add', 5],
    ['group.remove', 2],
    ['app.assign', 4],
    ['joiner', 1],
    ['leaver', 1],
    ['unlock', 1],
  ] as const);
  const group = rng.pick(org.groups.slice(1));
  const groupTarget: LogTarget = { id: group.id, type: 'UserGroup', alternateId: 'unknown', displayName: group.name, detailEntry: null };
  switch (kind) {
    case 'group.add':
    case 'group.remove': {
      const { action, ...event } = GROUP_MEMBERSHIP[kind];
      sink.emit(rng, { ...base, ...event, at, requestUri: `/admin/group/${group.id}/${action}`, target: [userTarget(someone), groupTarget] });
      return 1;
    }
    case 'app.assign': {
      const app = rng.pick(org.apps);
      sink.emit(rng, {
        ...base,
        at,
        eventType: 'application.user_membership.add',
        displayMessage: 'Add user to application membership',
        legacyEventType: 'app.generic.provision.assign_user_to_app',
        requestUri: `/admin/app/${app.name}/instance/${app.id}/assignments`,
        target: [appUserTarget(someone, app), appTarget(app), userTarget(someone)],
      });
      return 1;
    }
    case 'joiner': {
      const first = rng.pick(org.users).firstName;
      const last = rng.pick(org.users).lastName;
      const hire = { id: oktaId(rng, '00u'), login: loginOf(first, last).replace('@', `.${rng.int(2, 99)}@`), displayName: `${first} ${last}` };
      sink.emit(rng, { ...base, ...accountChange('create', hire), at });
      sink.emit(rng, { ...base, ...accountChange('activate', hire), at: at + rng.int(20, 90) * SEC });
      return 2;
    }
    case 'leaver':
      sink.emit(rng, { ...base, ...accountChange('deactivate', someone), at });
      return 1;
    case 'unlock':
      sink.emit(rng, { ...base, ...accountChange('unlock', someone), at });
      return 1;
  }
}

/**
 * The ordinary working day of one user, in their own time zone: on most weekdays a morning sign-in from
 * the office or from home (now and then with a wrong password or a push rejected by mistake), SSO into
 * their apps through the day, Admin Console work for administrators, sometimes a sign-out; on some
 * evenings a sign-in from the phone. Each user's local day is drawn from its own generator (seed, user,
 * local date), so a day's events do not depend on which UTC day is being built, nor on the other users.
 */
import type { User } from './org.ts';
import { Rng } from './prng.ts';
import { HOUR, localMs, MIN, SEC } from './clock.ts';
import { adminAction, adminConsole } from './admin-work.ts';
import { signIn, signOut, sso } from './sign-in.ts';
import type { Sink } from './sink.ts';

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** One user's own local day: the morning sign-in, SSO through the day, admin work, maybe the phone at night. */
export function userLocalDay(sink: Sink, seed: number, u: User, localDay: string): void {
  const rng = Rng.derive(seed, `${u.id}:${localDay}`);
  const dow = new Date(`${localDay}T00:00:00Z`).getUTCDay();
  const weekend = dow === 0 || dow === 6;
  const off = u.home.utcOffset;
  const failures = () => rng.weighted([
    [0, 95],
    [1, 4],
    [2, 1],
  ]);

  if (!weekend && rng.chance(u.activity)) {
    const start = clamp(8.2 + rng.normal() * 0.7, 6.5, 10.5);
    const length = clamp(8.5 + rng.normal() * 0.8, 6, 10.5);
    const office = u.office && rng.chance(u.officeDays) ? u.office : undefined;
    const from = office ? rng.pick(office.networks) : u.homeNetwork;
    const t0 = localMs(localDay, start, off);
    const end = t0 + length * HOUR;
    const { session, at } = signIn(sink, rng, u, {
      at: t0,
      from,
      ua: u.laptop,
      dtHash: u.laptopDtHash,
      failures: failures(),
      denyFirstPush: rng.chance(0.01),
    });
    for (const app of u.apps) {
      if (app === sink.org.adminConsole) continue;
      const everyday = app.name === 'slack' || app.name === 'google';
      const launches = everyday ? rng.int(1, 4) : rng.weighted([
        [0, 3],
        [1, 4],
        [2, 3],
        [3, 1],
      ]);
      for (let i = 0; i < launches; i++) sso(sink, rng, u, app, rng.float(at + MIN, end), from, u.laptop, session, u.laptopDtHash);
    }
    if (u.adminRole) {
      const visits = rng.int(1, 2);
      for (let v = 0; v < visits; v++) {
        let t = rng.float(at + 5 * MIN, end - HOUR);
        adminConsole(sink, rng, u, t, from, u.laptop, session, u.laptopDtHash);
        const actions = rng.int(1, 5);
        for (let k = 0; k < actions; k++) {
          t += rng.int(40, 600) * SEC;
          adminAction(sink, rng, u, t, from, u.laptop, session, u.laptopDtHash);
        }
      }
    }
    if (rng.chance(0.35)) signOut(sink, rng, u, end, from, u.laptop, session, u.laptopDtHash);
  }

  const phoneEvening = weekend ? rng.chance(0.1) : rng.chance(0.3);
  if (phoneEvening) {
    const t0 = localMs(localDay, rng.float(18.5, 22.5), off);
    const { session, at } = signIn(sink, rng, u, {
      at: t0,
      from: u.mobileNetwork,
      ua: u.phone,
      dtHash: u.phoneDtHash,
      factor: u.factor === 'sms' ? 'sms' : 'push',
    });
    const apps = u.apps.filter((a) => a.name === 'slack' || a.name === 'google');
    for (const app of rng.sample(apps, rng.int(1, apps.length))) sso(sink, rng, u, app, at + rng.int(1, 40) * MIN, u.mobileNetwork, u.phone, session, u.phoneDtHash);
  }
}

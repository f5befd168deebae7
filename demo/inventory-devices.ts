/**
 * The devices of the demo inventory: what Okta Verify registers for the laptop or phone a user agent of the events
 * comes from, its id drawn from the `dtHash` the events carry.
 */
import type { DeviceSpec } from './inventory-model.ts';
import { oktaId, type UserAgent } from './org.ts';
import { hash32, Rng } from './prng.ts';

const upperAlnum = (rng: Rng, n: number) => rng.chars('0123456789ABCDEFGHJKLMNPQRSTUVWXYZ', n);
const uuid = (rng: Rng) => `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${rng.hex(3)}-${rng.hex(12)}`.toUpperCase();

/** The device a user agent comes from, as Okta Verify registers it; null for a platform Okta Verify does not run on. */
export function deviceOf(seed: number, dtHash: string, ua: UserAgent, firstName: string, created: number): DeviceSpec | null {
  const rng = Rng.derive(seed, `device:${dtHash}`);
  const id = oktaId(new Rng(hash32(`${seed}:${dtHash}`)), 'guo');
  const common = { id, created };
  if (ua.os === 'Mac OS X') {
    const [model, name] = rng.weighted<readonly [string, string]>([
      [['MacBookPro18,3', 'MacBook Pro'], 4],
      [['Mac15,6', 'MacBook Pro'], 3],
      [['Mac14,2', 'MacBook Air'], 2],
      [['MacBookAir10,1', 'MacBook Air'], 1],
    ]);
    const managed = rng.chance(0.92);
    return {
      ...common,
      kind: 'laptop',
      displayName: `${firstName}'s ${name}`,
      platform: 'MACOS',
      manufacturer: 'APPLE',
      model,
      osVersion: ua.browser === 'FIREFOX' ? '14.7.1' : rng.pick(['15.1.0', '15.1.1', '14.7.1']),
      serialNumber: `C02${upperAlnum(rng, 9)}`,
      udid: uuid(rng),
      secureHardwarePresent: true,
      diskEncryptionType: managed || rng.chance(0.7) ? 'ALL_INTERNAL_VOLUMES' : 'NONE',
      managementStatus: managed ? 'MANAGED' : 'NOT_MANAGED',
      screenLockType: rng.chance(0.8) ? 'BIOMETRIC' : 'PASSCODE',
    };
  }
  if (ua.os.startsWith('Windows')) {
    const [manufacturer, model] = rng.pick<readonly [string, string]>([
      ['LENOVO', 'ThinkPad X1 Carbon Gen 11'],
      ['LENOVO', 'ThinkPad T14 Gen 4'],
      ['Dell Inc.', 'Latitude 7440'],
      ['HP', 'HP EliteBook 840 G10'],
    ]);
    const managed = rng.chance(0.9);
    return {
      ...common,
      kind: 'laptop',
      displayName: `ACME-LT-${rng.int(1000, 9999)}`,
      platform: 'WINDOWS',
      manufacturer,
      model,
      osVersion: rng.pick(['10.0.19045.5131', '10.0.22631.4460', '10.0.22631.4460']),
      serialNumber: upperAlnum(rng, manufacturer === 'LENOVO' ? 8 : 7),
      udid: null,
      secureHardwarePresent: rng.chance(0.95),
      diskEncryptionType: managed ? 'ALL_INTERNAL_VOLUMES' : rng.pick(['SYSTEM_VOLUME', 'NONE']),
      managementStatus: managed ? 'MANAGED' : 'NOT_MANAGED',
      screenLockType: rng.chance(0.6) ? 'BIOMETRIC' : 'PASSCODE',
    };
  }
  if (ua.os === 'iOS') {
    return {
      ...common,
      kind: 'phone',
      displayName: `${firstName}'s iPhone`,
      platform: 'IOS',
      manufacturer: 'APPLE',
      model: rng.pick(['iPhone15,2', 'iPhone15,4', 'iPhone16,1', 'iPhone14,5']),
      osVersion: '18.1',
      serialNumber: null,
      udid: uuid(rng),
      secureHardwarePresent: true,
      diskEncryptionType: 'FULL',
      managementStatus: rng.chance(0.25) ? 'MANAGED' : 'NOT_MANAGED',
      screenLockType: rng.chance(0.9) ? 'BIOMETRIC' : 'PASSCODE',
    };
  }
  if (ua.os === 'Android') {
    const model = /Android [\d.]+; ([^)]+)\)/.exec(ua.rawUserAgent)?.[1] ?? 'Android';
    const google = model.startsWith('Pixel');
    return {
      ...common,
      kind: 'phone',
      displayName: google ? model : model === 'SM-S921B' ? 'Galaxy S24' : model,
      platform: 'ANDROID',
      manufacturer: google ? 'Google' : 'samsung',
      model,
      osVersion: /Android ([\d.]+)/.exec(ua.rawUserAgent)?.[1] ?? '14',
      serialNumber: null,
      udid: null,
      secureHardwarePresent: true,
      diskEncryptionType: 'USER',
      managementStatus: rng.chance(0.25) ? 'MANAGED' : 'NOT_MANAGED',
      screenLockType: rng.chance(0.85) ? 'BIOMETRIC' : 'PASSCODE',
    };
  }
  return null; // Linux: no Okta Verify, no device record
}

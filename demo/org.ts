/**
 * Acme Robotics, the made-up Okta org of the demo: its offices, users, devices, home networks, apps and
 * admins. Built from a seed, so the same seed gives the same org (and the benchmark's 30 days of history
 * are the same people every day).
 *
 * Addresses come from the ranges reserved for documentation (RFC 5737 IPv4, RFC 3849 IPv6), so no event
 * points at a real person's network; places, ISPs and AS numbers are real.
 */
import { Rng } from './prng.ts';

export const ORG_NAME = 'Acme Robotics';
export const ORG_DOMAIN = 'acme-robotics.example';
export const OKTA_ORG = 'acme-robotics.okta.com';

export interface Place {
  readonly city: string;
  readonly state: string;
  readonly country: string;
  readonly postalCode: string;
  readonly lat: number;
  readonly lon: number;
  /** Hours from UTC (standard time; the demo ignores daylight saving). */
  readonly utcOffset: number;
}

export interface Network {
  readonly asn: number;
  readonly asOrg: string;
  readonly isp: string;
  readonly domain: string;
  readonly isProxy?: boolean;
}

/** Where an event comes from: an address, where it geolocates, whose network it is. */
export interface Location extends Place, Network {
  readonly ip: string;
  /** The Okta network zone the address is in, or the string `null` as Okta writes it. */
  readonly zone: string;
}

export interface UserAgent {
  readonly rawUserAgent: string;
  readonly os: string;
  readonly browser: string;
  /** As Okta writes `client.device`. */
  readonly device: 'Computer' | 'Mobile' | 'Unknown';
}

export type Factor = 'push' | 'fastpass' | 'sms';

export interface User {
  readonly id: string;
  readonly login: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly displayName: string;
  readonly department: string;
  readonly title: string;
  readonly home: Place;
  /** The office the user works from on office days, if any. */
  readonly office?: Office;
  /** Share of workdays spent at the office. */
  readonly officeDays: number;
  readonly homeNetwork: Location;
  readonly mobileNetwork: Location;
  readonly laptop: UserAgent;
  readonly phone: UserAgent;
  /** Device token hashes (`debugData.dtHash`) of the laptop and the phone. */
  readonly laptopDtHash: string;
  readonly phoneDtHash: string;
  readonly factor: Factor;
  /** Okta Verify enrollment id on the phone. */
  readonly enrollmentId: string;
  readonly apps: readonly App[];
  /** Okta admin role, for the IT admins. */
  readonly adminRole?: string;
  /** Share of weekdays the user signs in at all. */
  readonly activity: number;
}

export interface Office {
  readonly name: string;
  readonly place: Place;
  readonly networks: readonly Location[];
}

export interface App {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly signOnMode: 'SAML_2_0' | 'OPENID_CONNECT';
}

export interface Group {
  readonly id: string;
  readonly name: string;
}

export interface Org {
  readonly seed: number;
  readonly name: string;
  readonly domain: string;
  readonly users: readonly User[];
  readonly admins: readonly User[];
  readonly apps: readonly App[];
  readonly adminConsole: App;
  readonly dashboard: App;
  readonly groups: readonly Group[];
  readonly offices: readonly Office[];
  /** Ids of org objects the admin events name. */
  readonly ids: {
    readonly signOnPolicy: string;
    readonly mfaRule: string;
    readonly adminConsolePolicy: string;
    readonly officeZone: string;
    readonly blockedZone: string;
    readonly logStream: string;
    readonly oktaVerifyAuthenticator: string;
  };
}

export const PLACES = {
  boston: { city: 'Boston', state: 'Massachusetts', country: 'United States', postalCode: '02110', lat: 42.3601, lon: -71.0589, utcOffset: -5 },
  newYork: { city: 'New York', state: 'New York', country: 'United States', postalCode: '10001', lat: 40.7128, lon: -74.006, utcOffset: -5 },
  austin: { city: 'Austin', state: 'Texas', country: 'United States', postalCode: '78701', lat: 30.2672, lon: -97.7431, utcOffset: -6 },
  chicago: { city: 'Chicago', state: 'Illinois', country: 'United States', postalCode: '60601', lat: 41.8781, lon: -87.6298, utcOffset: -6 },
  denver: { city: 'Denver', state: 'Colorado', country: 'United States', postalCode: '80202', lat: 39.7392, lon: -104.9903, utcOffset: -7 },
  sanFrancisco: { city: 'San Francisco', state: 'California', country: 'United States', postalCode: '94105', lat: 37.7749, lon: -122.4194, utcOffset: -8 },
  seattle: { city: 'Seattle', state: 'Washington', country: 'United States', postalCode: '98101', lat: 47.6062, lon: -122.3321, utcOffset: -8 },
  toronto: { city: 'Toronto', state: 'Ontario', country: 'Canada', postalCode: 'M5H 2N2', lat: 43.6532, lon: -79.3832, utcOffset: -5 },
  london: { city: 'London', state: 'England', country: 'United Kingdom', postalCode: 'EC1A 1BB', lat: 51.5074, lon: -0.1278, utcOffset: 0 },
  dublin: { city: 'Dublin', state: 'Leinster', country: 'Ireland', postalCode: 'D02 X285', lat: 53.3498, lon: -6.2603, utcOffset: 0 },
  berlin: { city: 'Berlin', state: 'Land Berlin', country: 'Germany', postalCode: '10115', lat: 52.52, lon: 13.405, utcOffset: 1 },
  // Where the attacks of the demo come from.
  amsterdam: { city: 'Amsterdam', state: 'North Holland', country: 'Netherlands', postalCode: '1012', lat: 52.3676, lon: 4.9041, utcOffset: 1 },
  frankfurt: { city: 'Frankfurt am Main', state: 'Hesse', country: 'Germany', postalCode: '60311', lat: 50.1109, lon: 8.6821, utcOffset: 1 },
  bucharest: { city: 'Bucharest', state: 'Bucuresti', country: 'Romania', postalCode: '010011', lat: 44.4268, lon: 26.1025, utcOffset: 2 },
  singapore: { city: 'Singapore', state: 'Singapore', country: 'Singapore', postalCode: '018989', lat: 1.2834, lon: 103.8607, utcOffset: 8 },
  lagos: { city: 'Lagos', state: 'Lagos', country: 'Nigeria', postalCode: '100001', lat: 6.5244, lon: 3.3792, utcOffset: 1 },
} as const satisfies Record<string, Place>;

type PlaceKey = keyof typeof PLACES;

/** Residential and mobile networks by country (real AS numbers). */
const HOME_ISPS: Record<string, readonly (readonly [Network, number])[]> = {
  'United States': [
    [{ asn: 7922, asOrg: 'comcast', isp: 'Comcast Cable Communications, LLC', domain: 'comcast.net' }, 4],
    [{ asn: 701, asOrg: 'verizon', isp: 'Verizon Business', domain: 'verizon.net' }, 2],
    [{ asn: 7018, asOrg: 'at&t', isp: 'AT&T Services, Inc.', domain: 'att.net' }, 2],
    [{ asn: 20115, asOrg: 'charter communications', isp: 'Charter Communications Inc', domain: 'spectrum.com' }, 2],
  ],
  Canada: [
    [{ asn: 812, asOrg: 'rogers communications canada inc.', isp: 'Rogers Communications Canada Inc.', domain: 'rogers.com' }, 1],
    [{ asn: 577, asOrg: 'bell canada', isp: 'Bell Canada', domain: 'bell.ca' }, 1],
  ],
  'United Kingdom': [
    [{ asn: 2856, asOrg: 'british telecommunications plc', isp: 'British Telecommunications PLC', domain: 'bt.com' }, 2],
    [{ asn: 5089, asOrg: 'virgin media limited', isp: 'Virgin Media Limited', domain: 'virginmedia.com' }, 1],
    [{ asn: 5607, asOrg: 'sky uk limited', isp: 'Sky UK Limited', domain: 'sky.com' }, 1],
  ],
  Ireland: [
    [{ asn: 5466, asOrg: 'eircom limited', isp: 'Eircom Limited', domain: 'eir.ie' }, 1],
    [{ asn: 6830, asOrg: 'liberty global b.v.', isp: 'Virgin Media Ireland', domain: 'virginmedia.ie' }, 1],
  ],
  Germany: [
    [{ asn: 3320, asOrg: 'deutsche telekom ag', isp: 'Deutsche Telekom AG', domain: 'telekom.de' }, 2],
    [{ asn: 3209, asOrg: 'vodafone gmbh', isp: 'Vodafone GmbH', domain: 'vodafone.de' }, 1],
  ],
};

const MOBILE_ISPS: Record<string, readonly Network[]> = {
  'United States': [
    { asn: 21928, asOrg: 't-mobile usa, inc.', isp: 'T-Mobile USA, Inc.', domain: 't-mobile.com' },
    { asn: 6167, asOrg: 'cellco partnership dba verizon wireless', isp: 'Verizon Wireless', domain: 'myvzw.com' },
  ],
  Canada: [{ asn: 812, asOrg: 'rogers communications canada inc.', isp: 'Rogers Wireless', domain: 'rogers.com' }],
  'United Kingdom': [{ asn: 12576, asOrg: 'ee limited', isp: 'EE Limited', domain: 'ee.co.uk' }],
  Ireland: [{ asn: 15502, asOrg: 'vodafone ireland limited', isp: 'Vodafone Ireland', domain: 'vodafone.ie' }],
  Germany: [{ asn: 3209, asOrg: 'vodafone gmbh', isp: 'Vodafone GmbH', domain: 'vodafone.de' }],
};

/** Outside networks the demo's attacks use. */
export const ATTACKER_NETWORKS = {
  digitalOcean: { asn: 14061, asOrg: 'digitalocean, llc', isp: 'DigitalOcean, LLC', domain: 'digitalocean.com' },
  ovh: { asn: 16276, asOrg: 'ovh sas', isp: 'OVH SAS', domain: 'ovh.net' },
  m247: { asn: 9009, asOrg: 'm247 europe srl', isp: 'M247 Europe SRL', domain: 'm247.com', isProxy: true },
  singtel: { asn: 7473, asOrg: 'singapore telecommunications ltd', isp: 'Singtel', domain: 'singtel.com' },
  globacom: { asn: 37148, asOrg: 'globacom limited', isp: 'Globacom Limited', domain: 'gloworld.com' },
} as const satisfies Record<string, Network>;

export const location = (place: Place, network: Network, ip: string, zone = 'null'): Location => ({ ...place, ...network, ip, zone });

const DEPARTMENTS: readonly (readonly [string, number, readonly string[], readonly string[]])[] = [
  // name, weight, apps beyond everyone's, titles
  ['Engineering', 30, ['github', 'jira', 'confluence', 'aws', 'pagerduty'], ['Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Robotics Engineer', 'Firmware Engineer', 'Engineering Manager']],
  ['Product', 6, ['jira', 'confluence', 'figma'], ['Product Manager', 'Product Designer', 'UX Researcher']],
  ['Sales', 16, ['salesforce', 'docusign', 'gong'], ['Account Executive', 'Sales Engineer', 'Sales Development Representative', 'Regional Sales Director']],
  ['Marketing', 7, ['hubspot', 'figma'], ['Marketing Manager', 'Content Strategist', 'Demand Generation Manager']],
  ['Customer Support', 12, ['zendesk', 'jira', 'salesforce'], ['Support Engineer', 'Customer Success Manager', 'Field Service Technician']],
  ['Manufacturing', 11, ['netsuite', 'jira'], ['Manufacturing Engineer', 'Quality Engineer', 'Supply Chain Planner', 'Production Supervisor']],
  ['Finance', 6, ['netsuite', 'workday', 'docusign'], ['Accountant', 'Financial Analyst', 'Controller']],
  ['People', 4, ['workday', 'greenhouse'], ['HR Business Partner', 'Recruiter', 'People Operations Specialist']],
  ['IT', 5, ['jira', 'confluence', 'aws', 'zendesk'], ['IT Support Specialist', 'Systems Administrator', 'IT Manager', 'Identity Engineer']],
  ['Legal', 3, ['docusign'], ['Corporate Counsel', 'Paralegal']],
];

const APP_CATALOG: readonly (readonly [string, string, 'SAML_2_0' | 'OPENID_CONNECT'])[] = [
  ['slack', 'Slack', 'SAML_2_0'],
  ['google', 'Google Workspace', 'SAML_2_0'],
  ['zoom', 'Zoom', 'SAML_2_0'],
  ['workday', 'Workday', 'SAML_2_0'],
  ['github', 'GitHub Enterprise Cloud', 'SAML_2_0'],
  ['jira', 'Jira Software', 'SAML_2_0'],
  ['confluence', 'Confluence', 'SAML_2_0'],
  ['aws', 'AWS IAM Identity Center', 'SAML_2_0'],
  ['pagerduty', 'PagerDuty', 'SAML_2_0'],
  ['figma', 'Figma', 'SAML_2_0'],
  ['salesforce', 'Salesforce.com', 'SAML_2_0'],
  ['docusign', 'DocuSign', 'SAML_2_0'],
  ['gong', 'Gong', 'OPENID_CONNECT'],
  ['hubspot', 'HubSpot', 'SAML_2_0'],
  ['zendesk', 'Zendesk', 'SAML_2_0'],
  ['netsuite', 'Oracle NetSuite', 'SAML_2_0'],
  ['greenhouse', 'Greenhouse', 'SAML_2_0'],
];

const EVERYONE_APPS = ['slack', 'google', 'zoom'];

const FIRST_NAMES = [
  'Aaliyah', 'Aaron', 'Abigail', 'Adam', 'Aditi', 'Ahmed', 'Aiden', 'Alejandro', 'Alex', 'Alice', 'Amara', 'Amelia', 'Ana', 'Andre', 'Andrew', 'Anika',
  'Anna', 'Arjun', 'Ava', 'Ben', 'Bianca', 'Brandon', 'Camila', 'Carlos', 'Caroline', 'Charlotte', 'Chen', 'Chloe', 'Chris', 'Claire', 'Daniel', 'David',
  'Diego', 'Elena', 'Eli', 'Elijah', 'Emily', 'Emma', 'Ethan', 'Fatima', 'Felix', 'Fiona', 'Gabriel', 'Grace', 'Hannah', 'Hiro', 'Ian', 'Imani',
  'Isaac', 'Isabella', 'Jack', 'James', 'Jasmine', 'Javier', 'Jessica', 'Jin', 'Jonas', 'Jordan', 'Julia', 'Kai', 'Katherine', 'Kevin', 'Kofi', 'Laura',
  'Leah', 'Leo', 'Liam', 'Lina', 'Lucas', 'Lucy', 'Maya', 'Mateo', 'Matthew', 'Mei', 'Mia', 'Michael', 'Nadia', 'Naomi', 'Nathan', 'Niamh',
  'Noah', 'Nora', 'Olivia', 'Omar', 'Owen', 'Priya', 'Rachel', 'Rahul', 'Ravi', 'Rebecca', 'Ryan', 'Samuel', 'Sara', 'Sean', 'Sofia', 'Sophie',
  'Tariq', 'Thomas', 'Tyler', 'Valentina', 'Victor', 'Wei', 'William', 'Yara', 'Yusuf', 'Zara', 'Zoe',
];

const LAST_NAMES = [
  'Adams', 'Ahmed', 'Alvarez', 'Anderson', 'Bailey', 'Baker', 'Becker', 'Bennett', 'Brooks', 'Brown', 'Byrne', 'Campbell', 'Carter', 'Castillo', 'Chen', 'Clarke',
  'Collins', 'Cooper', 'Davies', 'Diaz', 'Dubois', 'Edwards', 'Evans', 'Fischer', 'Flores', 'Foster', 'Garcia', 'Gonzalez', 'Gray', 'Green', 'Gupta', 'Hall',
  'Harris', 'Hoffmann', 'Hughes', 'Ito', 'Jackson', 'James', 'Johnson', 'Jones', 'Kelly', 'Khan', 'Kim', 'Koch', 'Kowalski', 'Kumar', 'Lee', 'Lewis',
  'Lopez', 'Martin', 'Martinez', 'Meyer', 'Miller', 'Mitchell', 'Moore', 'Morales', 'Murphy', 'Nakamura', 'Nguyen', 'Novak', "O'Brien", 'Okafor', 'Patel', 'Perez',
  'Phillips', 'Price', 'Quinn', 'Ramirez', 'Reddy', 'Reyes', 'Richter', 'Rivera', 'Roberts', 'Robinson', 'Rossi', 'Russell', 'Sanchez', 'Schmidt', 'Schneider', 'Scott',
  'Shah', 'Silva', 'Singh', 'Smith', 'Sullivan', 'Tanaka', 'Taylor', 'Thomas', 'Thompson', 'Torres', 'Turner', 'Walker', 'Walsh', 'Wang', 'Weber', 'White',
  'Williams', 'Wilson', 'Wong', 'Wright', 'Young', 'Zhang',
];

/** Home cities and how many of the staff live there. */
const HOMES: readonly (readonly [PlaceKey, number])[] = [
  ['boston', 34],
  ['newYork', 8],
  ['austin', 16],
  ['chicago', 6],
  ['denver', 4],
  ['sanFrancisco', 8],
  ['seattle', 5],
  ['toronto', 5],
  ['london', 9],
  ['dublin', 3],
  ['berlin', 2],
];

const LAPTOPS: readonly (readonly [Omit<UserAgent, 'device'>, number])[] = [
  [{ rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', os: 'Mac OS X', browser: 'CHROME' }, 30],
  [{ rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', os: 'Mac OS X', browser: 'SAFARI' }, 10],
  [{ rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:132.0) Gecko/20100101 Firefox/132.0', os: 'Mac OS X', browser: 'FIREFOX' }, 6],
  [{ rawUserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', os: 'Windows 10', browser: 'CHROME' }, 22],
  [{ rawUserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', os: 'Windows 10', browser: 'EDGE' }, 14],
  [{ rawUserAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', os: 'Linux', browser: 'CHROME' }, 4],
];

const PHONES: readonly (readonly [Omit<UserAgent, 'device'>, number])[] = [
  [{ rawUserAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', os: 'iOS', browser: 'SAFARI' }, 6],
  [{ rawUserAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36', os: 'Android', browser: 'CHROME' }, 3],
  [{ rawUserAgent: 'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36', os: 'Android', browser: 'CHROME' }, 2],
];

/** Okta object ids: a three-character prefix (`00u` user, `0oa` app, `00g` group...) and 17 base62 characters. */
export const oktaId = (rng: Rng, prefix: string): string => `${prefix}${rng.base62(20 - prefix.length)}`;

const ascii = (s: string) => s.normalize('NFKD').replace(/[^A-Za-z]/g, '').toLowerCase();

/** Home IPv4 addresses (RFC 5737): 198.51.100.0/24 and the lower half of 203.0.113.0/24; the upper half is for outsiders. */
function* homeIpv4(): Generator<string> {
  for (let i = 1; i <= 254; i++) yield `198.51.100.${i}`;
  for (let i = 1; i <= 127; i++) yield `203.0.113.${i}`;
}

export interface OrgOptions {
  /** @default 400 */
  readonly users?: number;
}

export function buildOrg(seed: number, options: OrgOptions = {}): Org {
  const userCount = options.users ?? 400;
  if (!Number.isInteger(userCount) || userCount < 40) throw new Error(`users: ${userCount} is too few for the demo org (at least 40)`);
  const rng = Rng.derive(seed, 'org');

  const apps = new Map<string, App>(
    APP_CATALOG.map(([key, label, signOnMode]) => [key, { id: oktaId(rng, '0oa'), name: key, label, signOnMode }]),
  );
  const adminConsole: App = { id: oktaId(rng, '0oa'), name: 'saasure', label: 'Okta Admin Console', signOnMode: 'OPENID_CONNECT' };
  const dashboard: App = { id: oktaId(rng, '0oa'), name: 'okta_enduser', label: 'Okta Dashboard', signOnMode: 'OPENID_CONNECT' };

  const office = (name: string, place: Place, network: Network, ips: string[]): Office => ({
    name,
    place,
    networks: ips.map((ip) => location(place, network, ip, 'Acme Offices')),
  });
  const offices: Office[] = [
    office('Boston HQ', PLACES.boston, { asn: 174, asOrg: 'cogent communications', isp: 'Cogent Communications', domain: 'cogentco.com' }, ['192.0.2.10', '192.0.2.11', '192.0.2.12']),
    office('Austin', PLACES.austin, { asn: 7018, asOrg: 'at&t', isp: 'AT&T Services, Inc.', domain: 'att.com' }, ['192.0.2.40', '192.0.2.41']),
    office('London', PLACES.london, { asn: 3356, asOrg: 'level 3 parent, llc', isp: 'Lumen Technologies', domain: 'lumen.com' }, ['192.0.2.70', '192.0.2.71']),
  ];
  const officeIn = new Map(offices.map((o) => [o.place.city, o]));

  const ipv4 = homeIpv4();
  const logins = new Set<string>();
  const users: User[] = [];
  for (let i = 0; i < userCount; i++) {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    let login = `${ascii(firstName)}.${ascii(lastName)}@${ORG_DOMAIN}`;
    for (let n = 2; logins.has(login); n++) login = `${ascii(firstName)}.${ascii(lastName)}${n}@${ORG_DOMAIN}`;
    logins.add(login);
    const [department, , deptApps, titles] = rng.weighted(DEPARTMENTS.map((d) => [d, d[1]] as const));
    const home = PLACES[rng.weighted(HOMES)];
    const nearOffice = officeIn.get(home.city);
    const worksAtOffice = nearOffice !== undefined && rng.chance(0.8);
    const isp = rng.weighted(HOME_ISPS[home.country]!);
    const v4 = rng.chance(0.5) ? ipv4.next() : undefined;
    const homeIp = v4 && !v4.done ? v4.value : `2001:db8:${rng.hex(4)}:${rng.hex(4)}::${rng.int(1, 0xfff).toString(16)}`;
    const carrier = rng.pick(MOBILE_ISPS[home.country]!);
    const laptop = { ...rng.weighted(LAPTOPS), device: 'Computer' as const };
    const phone = { ...rng.weighted(PHONES), device: 'Mobile' as const };
    users.push({
      id: oktaId(rng, '00u'),
      login,
      firstName,
      lastName,
      displayName: `${firstName} ${lastName}`,
      department,
      title: rng.pick(titles),
      home,
      office: worksAtOffice ? nearOffice : undefined,
      officeDays: worksAtOffice ? rng.float(0.4, 0.9) : 0,
      homeNetwork: location(home, isp, homeIp),
      mobileNetwork: location(home, carrier, `2001:db8:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}::${rng.int(1, 0xfff).toString(16)}`),
      laptop,
      phone,
      laptopDtHash: rng.hex(64),
      phoneDtHash: rng.hex(64),
      factor: rng.weighted<Factor>([
        ['push', 55],
        ['fastpass', 35],
        ['sms', 10],
      ]),
      enrollmentId: oktaId(rng, 'pfd'),
      apps: [...EVERYONE_APPS, ...deptApps, ...(rng.chance(0.3) ? ['workday'] : [])]
        .filter((a, k, all) => all.indexOf(a) === k)
        .map((a) => apps.get(a)!),
      activity: rng.float(0.85, 0.99),
    });
  }

  // Four IT people administer Okta; the first is a super administrator.
  const it = users.filter((u) => u.department === 'IT');
  while (it.length < 4) {
    // Small orgs: promote engineers to IT until there are four admins.
    const u = users.find((x) => x.department !== 'IT' && !it.includes(x))!;
    const promoted: User = { ...u, department: 'IT', title: 'Systems Administrator' };
    users[users.indexOf(u)] = promoted;
    it.push(promoted);
  }
  const roles = ['Super Administrator', 'Organization Administrator', 'Help Desk Administrator', 'Application Administrator'];
  const admins = it.slice(0, 4).map((u, k) => {
    const admin: User = { ...u, adminRole: roles[k], factor: k === 0 ? 'push' : u.factor, apps: [...u.apps, adminConsole] };
    users[users.indexOf(u)] = admin;
    return admin;
  });

  const groups: Group[] = [
    'Everyone',
    ...DEPARTMENTS.map(([d]) => d),
    'Boston Office',
    'Austin Office',
    'London Office',
    'Contractors',
    'AWS Production Access',
    'GitHub Admins',
    'VPN Users',
  ].map((name) => ({ id: oktaId(rng, '00g'), name }));

  return {
    seed,
    name: ORG_NAME,
    domain: ORG_DOMAIN,
    users,
    admins,
    apps: [...apps.values()],
    adminConsole,
    dashboard,
    groups,
    offices,
    ids: {
      signOnPolicy: oktaId(rng, '00p'),
      mfaRule: oktaId(rng, '0pr'),
      adminConsolePolicy: oktaId(rng, 'rst'),
      officeZone: oktaId(rng, 'nzo'),
      blockedZone: oktaId(rng, 'nzo'),
      logStream: oktaId(rng, '0oa'),
      oktaVerifyAuthenticator: oktaId(rng, 'aut'),
    },
  };
}

/**
 * The Okta System Log `LogEvent`, as the `okta_events` table of the lake.
 *
 * Source: Okta's Management API spec (components.schemas.Log*), plus the fields real events carry that the
 * spec does not list (top-level `device`, `authenticationContext.rootSessionId`). Column names are the JSON
 * keys lower-cased, which is what Firehose's OpenX deserializer matches (case-insensitively) against the
 * Glue table. Free-form objects are `map<string,string>` so no key is lost to a fixed struct.
 *
 * Adding a field here adds it to the Glue table, the Firehose conversion, the local Parquet files and the
 * TypeScript row type.
 */
import { array, bigint, boolean, double, int, string, stringMap, struct, type RowOf, type TableDef } from './types.ts';

const geographicalContext = struct({
  city: string,
  state: string,
  country: string,
  postalcode: string,
  geolocation: struct({ lat: double, lon: double }),
});

const ipDetails = struct({
  asnumber: bigint,
  asorg: string,
  domain: string,
  isp: string,
  ipservicecategories: array(struct({ isanonymous: boolean, operator: string, type: string })),
});

export const logEventColumns = {
  uuid: string,
  published: string,
  eventtype: string,
  version: string,
  severity: string,
  legacyeventtype: string,
  displaymessage: string,
  actor: struct({ id: string, type: string, alternateid: string, displayname: string, detailentry: stringMap }),
  client: struct({
    useragent: struct({ rawuseragent: string, os: string, browser: string }),
    zone: string,
    device: string,
    id: string,
    ipaddress: string,
    geographicalcontext: geographicalContext,
  }),
  device: struct({
    id: string,
    name: string,
    os_platform: string,
    os_version: string,
    managed: boolean,
    registered: boolean,
    jailbreak: boolean,
    secure_hardware_present: boolean,
    device_integrator: stringMap,
    disk_encryption_type: string,
    screen_lock_type: string,
  }),
  authenticationcontext: struct({
    authenticationprovider: string,
    credentialprovider: string,
    credentialtype: string,
    issuer: struct({ id: string, type: string }),
    interface: string,
    authenticationstep: int,
    externalsessionid: string,
    rootsessionid: string,
  }),
  securitycontext: struct({
    asnumber: bigint,
    asorg: string,
    isp: string,
    domain: string,
    isproxy: boolean,
    ipdetails: ipDetails,
    risk: struct({ level: string, previouslevel: string, reasons: array(string), detectionname: string, issuer: string }),
    userbehaviors: array(struct({ id: string, name: string, result: string })),
    botprotection: struct({ level: string }),
  }),
  debugcontext: struct({ debugdata: stringMap }),
  outcome: struct({ result: string, reason: string }),
  target: array(
    struct({
      id: string,
      type: string,
      alternateid: string,
      displayname: string,
      detailentry: stringMap,
      changedetails: struct({ from: stringMap, to: stringMap }),
    }),
  ),
  transaction: struct({ type: string, id: string, detail: stringMap }),
  request: struct({
    ipchain: array(
      struct({ ip: string, version: string, source: string, geographicalcontext: geographicalContext, ipdetails: ipDetails }),
    ),
  }),
} as const;

/** Partition keys: the arrival date and hour (UTC) of the event, as Firehose's `!{timestamp:...}` prefix writes them. */
export const okta_events: TableDef<typeof logEventColumns> = {
  name: 'okta_events',
  description: 'Okta System Log events, one row per delivered LogEvent, partitioned by arrival hour (UTC).',
  location: 'okta/events',
  columns: logEventColumns,
  partitionKeys: ['dt', 'hour'],
};

export type LogEventRow = RowOf<typeof logEventColumns>;

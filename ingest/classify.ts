/**
 * Decides what one input record is: an Okta LogEvent (bare, as the System Log API returns it, or inside an
 * EventBridge envelope as Log Streaming delivers it, or inside a Firehose error record as Firehose turned
 * it away) with its arrival time, or a rejection with a reason.
 */
import { parseIsoInstant } from '../schema/layout.ts';
import { describeFirehoseError, firehoseErrorRecord, type FirehoseError } from './firehose-records.ts';

interface FromFirehose {
  /** Set when the record was a Firehose error record: Firehose's reason for turning it away. */
  readonly firehose?: FirehoseError;
  /** The original record decoded from a Firehose error record's `rawData`: what the raw archive keeps. */
  readonly original?: Buffer;
}

export type Classified =
  | ({ readonly kind: 'event'; readonly event: Record<string, unknown>; readonly arrival: Date; readonly enveloped: boolean } & FromFirehose)
  | ({ readonly kind: 'rejected'; readonly reason: string } & FromFirehose);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field by name, matched case-insensitively as the Glue/OpenX reader does (Panther exports lower-case keys). */
function field(o: Record<string, unknown>, name: string): unknown {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const key in o) if (key.toLowerCase() === lower) return o[key];
  return undefined;
}

const describe = (v: unknown) => (v === undefined ? 'missing' : JSON.stringify(v)?.slice(0, 80));

function parse(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: `not valid JSON: ${(e as Error).message}` };
  }
}

const typeName = (v: unknown) => (Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v);

export function classify(text: string): Classified {
  const parsed = parse(text);
  if ('error' in parsed) return { kind: 'rejected', reason: parsed.error };
  if (!isObject(parsed.value)) return { kind: 'rejected', reason: `not a JSON object (got ${typeName(parsed.value)})` };

  const firehose = firehoseErrorRecord(parsed.value);
  if (!firehose) return classifyObject(parsed.value);
  const from = `Firehose error record (${describeFirehoseError(firehose.error)})`;
  if (firehose.kind === 'undecodable') return { kind: 'rejected', reason: `${from}: ${firehose.reason}`, firehose: firehose.error };
  const inner = parse(firehose.data.toString('utf8'));
  const found = { firehose: firehose.error, original: firehose.data };
  if ('error' in inner) return { kind: 'rejected', reason: `${from}: its rawData is ${inner.error}`, ...found };
  if (!isObject(inner.value)) return { kind: 'rejected', reason: `${from}: its rawData is not a JSON object (got ${typeName(inner.value)})`, ...found };
  const result = classifyObject(inner.value);
  return result.kind === 'rejected' ? { ...result, reason: `${from}: in its rawData, ${result.reason}`, ...found } : { ...result, ...found };
}

/** The source of every event Okta Log Streaming puts on a partner bus: `aws.partner/okta.com/<org>/<name>`. */
export const OKTA_PARTNER_SOURCE_PREFIX = 'aws.partner/okta.com/';

function classifyObject(parsed: Record<string, unknown>): Classified {
  let event = parsed;
  let arrival: Date | undefined;
  const enveloped = 'detail-type' in parsed && 'detail' in parsed;
  if (enveloped) {
    // An Okta event is known by its partner source, as the partner rule matches it (modules/partner-bus.ts): no Okta
    // document states its detail-type. `SystemLog`, the detail-type seen, is accepted too (exports that drop `source`).
    const fromOkta = typeof parsed.source === 'string' && parsed.source.startsWith(OKTA_PARTNER_SOURCE_PREFIX);
    if (!fromOkta && parsed['detail-type'] !== 'SystemLog') {
      return {
        kind: 'rejected',
        reason: `EventBridge envelope from source ${describe(parsed.source)} (detail-type ${describe(parsed['detail-type'])}) is not an Okta event: expected source ${OKTA_PARTNER_SOURCE_PREFIX}<org>/<name>`,
      };
    }
    if (!isObject(parsed.detail)) return { kind: 'rejected', reason: 'EventBridge envelope field "detail" is not a JSON object' };
    arrival = parseIsoInstant(parsed.time);
    if (!arrival) return { kind: 'rejected', reason: `EventBridge envelope field "time" is ${describe(parsed.time)}, expected an ISO-8601 instant` };
    event = parsed.detail;
  }

  const where = enveloped ? 'detail.' : '';
  const uuid = field(event, 'uuid');
  if (typeof uuid !== 'string' || uuid.trim() === '') {
    return { kind: 'rejected', reason: `field "${where}uuid" is ${describe(uuid)}, expected a non-empty string` };
  }
  const eventType = field(event, 'eventType');
  if (typeof eventType !== 'string' || eventType === '') {
    return { kind: 'rejected', reason: `field "${where}eventType" is ${describe(eventType)}, expected a non-empty string` };
  }
  const publishedValue = field(event, 'published');
  const published = parseIsoInstant(publishedValue);
  if (!published) {
    return { kind: 'rejected', reason: `field "${where}published" is ${describe(publishedValue)}, expected an ISO-8601 instant like 2024-08-13T15:58:20.353Z` };
  }
  return { kind: 'event', event, arrival: arrival ?? published, enveloped };
}

/**
 * Decides what one input line is: an Okta LogEvent (bare, as the System Log API returns it, or inside an
 * EventBridge envelope as Log Streaming delivers it) with its arrival time, or a rejection with a reason.
 */
import { parseIsoInstant } from '../lake/layout.ts';

export type Classified =
  | { readonly kind: 'event'; readonly event: Record<string, unknown>; readonly arrival: Date; readonly enveloped: boolean }
  | { readonly kind: 'rejected'; readonly reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field by name, matched case-insensitively as the Glue/OpenX reader does (Panther exports lower-case keys). */
function field(o: Record<string, unknown>, name: string): unknown {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const key in o) if (key.toLowerCase() === lower) return o[key];
  return undefined;
}

const describe = (v: unknown) => (v === undefined ? 'missing' : JSON.stringify(v)?.slice(0, 80));

export function classify(text: string): Classified {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { kind: 'rejected', reason: `not valid JSON: ${(e as Error).message}` };
  }
  if (!isObject(parsed)) return { kind: 'rejected', reason: `not a JSON object (got ${Array.isArray(parsed) ? 'an array' : typeof parsed})` };

  let event = parsed;
  let arrival: Date | undefined;
  const enveloped = 'detail-type' in parsed && 'detail' in parsed;
  if (enveloped) {
    if (parsed['detail-type'] !== 'SystemLog') {
      return { kind: 'rejected', reason: `EventBridge envelope field "detail-type" is ${describe(parsed['detail-type'])}, expected "SystemLog"` };
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

/**
 * Firehose error records: what Firehose writes under the error prefix (`okta/errors/<error-output-type>/`)
 * for a record it could not convert or deliver. One JSON object per record, the original record in
 * `rawData` (base64) beside Firehose's reason:
 *
 *   {"attemptsMade":1,"arrivalTimestamp":1700000000000,"errorCode":"DataFormatConversion.MalformedData",
 *    "errorMessage":"...","attemptEndingTimestamp":...,"rawData":"eyJ1dWlkIjoi...","sequenceNumber":"...",
 *    "subSequenceNumber":0,"dataCatalogTable":{"catalogId":"...","databaseName":"...","tableName":"...",...}}
 *
 * Schema: "Handling errors for data format conversion", Amazon Data Firehose Developer Guide,
 * https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion-error-handling.html
 * The guide's own versions spell the reason `ErrorCode`/`ErrorMessage` or `lastErrorCode`/`lastErrorMessage`,
 * and delivered files say `errorCode`/`errorMessage`: any of them is read, case-insensitively.
 *
 * Replaying such a record means ingesting `rawData`, the LogEvent as the EventBridge target sent it; the
 * record's own error is kept for the summary, so the user sees why Firehose turned it away.
 */

export interface FirehoseError {
  readonly errorCode: string;
  readonly errorMessage: string;
}

export type FirehoseRecord =
  | { readonly kind: 'decoded'; readonly error: FirehoseError; readonly data: Buffer }
  | { readonly kind: 'undecodable'; readonly error: FirehoseError; readonly reason: string };

const ERROR_CODE_KEYS = ['errorcode', 'lasterrorcode'];
const ERROR_MESSAGE_KEYS = ['errormessage', 'lasterrormessage'];
/** Fields only a Firehose error record has, besides rawData. */
const MARKERS = ['attemptsmade', 'arrivaltimestamp', 'attemptendingtimestamp', ...ERROR_CODE_KEYS];

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function lowerKeys(o: Record<string, unknown>): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const k in o) m.set(k.toLowerCase(), o[k]);
  return m;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

/** The Firehose error record `o` is, or undefined when it is something else (a LogEvent, an envelope). */
export function firehoseErrorRecord(o: Record<string, unknown>): FirehoseRecord | undefined {
  // Checked on every record ingested: one property lookup for the LogEvents that make up nearly all of them.
  if (!('rawData' in o)) return undefined;
  const fields = lowerKeys(o);
  if (!MARKERS.some((k) => fields.has(k))) return undefined;
  const error: FirehoseError = {
    errorCode: text(ERROR_CODE_KEYS.map((k) => fields.get(k)).find((v) => v !== undefined)) || 'unknown',
    errorMessage: text(ERROR_MESSAGE_KEYS.map((k) => fields.get(k)).find((v) => v !== undefined)),
  };
  const raw = fields.get('rawdata');
  if (typeof raw !== 'string') return { kind: 'undecodable', error, reason: 'its "rawData" is not a string' };
  const compact = raw.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return { kind: 'undecodable', error, reason: 'its "rawData" is not base64' };
  return { kind: 'decoded', error, data: Buffer.from(compact, 'base64') };
}

/** `DataFormatConversion.MalformedData: <message>`, cut to a readable length. */
export function describeFirehoseError(e: FirehoseError): string {
  const message = e.errorMessage.length > 200 ? `${e.errorMessage.slice(0, 199)}…` : e.errorMessage;
  return message ? `${e.errorCode}: ${message}` : e.errorCode;
}

/**
 * SQS events as a Lambda event source mapping delivers them: how the escalation queue (refresh-user), the recovery
 * queue (recover-gap) and the re-run queue (hourly-detections) reach their functions. Each record's body is JSON
 * the sender wrote; a body that is not is an error naming the message, so SQS receives it again and, after its
 * last receive, moves it to the queue's dead-letter queue (where an alarm watches).
 */

export interface SqsEvent {
  readonly Records: readonly { readonly eventSource?: unknown; readonly messageId?: unknown; readonly body?: unknown }[];
}

export const isSqsEvent = (event: unknown): event is SqsEvent =>
  typeof event === 'object' &&
  event !== null &&
  Array.isArray((event as { Records?: unknown }).Records) &&
  (event as SqsEvent).Records.every((r) => typeof r === 'object' && r !== null && r.eventSource === 'aws:sqs');

/** Each record's body, parsed, with its message id; `handler` names the function in the error. */
export function sqsJsonBodies(event: SqsEvent, handler: string): { readonly messageId: string; readonly body: unknown }[] {
  return event.Records.map((record) => {
    const messageId = String(record.messageId);
    if (typeof record.body !== 'string') throw new Error(`${handler}: SQS message ${messageId} has no body`);
    try {
      return { messageId, body: JSON.parse(record.body) as unknown };
    } catch (e) {
      throw new Error(`${handler}: SQS message ${messageId} is not JSON (${(e as Error).message})`);
    }
  });
}

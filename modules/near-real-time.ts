/**
 * Near-real-time rules: for each enabled detection with a `near_real_time` path, an EventBridge rule on the Okta
 * partner bus whose pattern is the partner source and the detection's pattern on the event's `detail` (the LogEvent),
 * targeting the near-real-time function (handlers/near-real-time.ts) with `{"detection": "<id>", "event": <event>}`.
 *
 * - One rule per detection, so an event matching two detections is told by each, and the function knows which one
 *   asked: the input transformer writes the id, and `<aws.events.event.json>` (the full original event, detail
 *   included; EventBridge user guide, "Amazon EventBridge input transformation", predefined variables) the event.
 * - The rule's pattern is at most 4,096 characters (EventBridge API reference, PutRule `EventPattern`); synth refuses a
 *   longer one, and test/detections/near-real-time.test.ts checks the catalog's.
 * - Delivery retries for an hour, then the event goes to the function's failure queue (which the watchdog alarms on);
 *   the hourly run still reports the finding, only later.
 */
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import type { Detection } from '../core/catalog.ts';
import type { EventPattern } from '../core/event-pattern.ts';
import type { LakeKey } from './kms.ts';
import type { LakeFunction } from './lambda/function.ts';
import type { PartnerEventRouting } from './partner-bus.ts';

/** EventBridge's limit on a rule's event pattern (PutRule, `EventPattern`: "Length Constraints: Maximum length of 4096"). */
export const MAX_EVENT_PATTERN_CHARS = 4096;
/** EventBridge's limit on a rule name (PutRule, `Name`: 1-64 characters). */
const MAX_RULE_NAME_CHARS = 64;

/** The rule's pattern: every event of the Okta partner source whose LogEvent matches the detection's pattern. */
export function nearRealTimePattern(partnerEventSourceName: string, pattern: EventPattern): { source: string[]; detail: EventPattern } {
  return { source: [partnerEventSourceName], detail: pattern };
}

/** The input the function gets: the detection id, then the whole event (a predefined variable, written unquoted). */
export const nearRealTimeInputTemplate = (detectionId: string): string => `{"detection": ${JSON.stringify(detectionId)}, "event": <aws.events.event.json>}`;

export interface NearRealTimeRulesProps {
  readonly namePrefix: string;
  readonly routing: PartnerEventRouting;
  /** The detections to give a rule: those with a near-real-time path, enabled in the configuration. */
  readonly detections: readonly Detection[];
  readonly function: LakeFunction;
  readonly key: LakeKey;
}

export class NearRealTimeRules extends Construct {
  /** The rules by detection id. */
  readonly rules: ReadonlyMap<string, CloudwatchEventRule>;

  constructor(scope: Construct, id: string, props: NearRealTimeRulesProps) {
    super(scope, id);
    const fn = props.function;
    const rules = new Map<string, CloudwatchEventRule>();
    for (const d of props.detections) {
      if (!d.near_real_time) continue;
      const pattern = JSON.stringify(nearRealTimePattern(props.routing.partnerEventSourceName, d.near_real_time.pattern));
      if (pattern.length > MAX_EVENT_PATTERN_CHARS) {
        throw new Error(`${d.id}: its near-real-time pattern is ${pattern.length} characters with the source; EventBridge takes at most ${MAX_EVENT_PATTERN_CHARS}`);
      }
      const name = `${props.namePrefix}-rt-${d.id.replace(/^okta-/, '')}`.slice(0, MAX_RULE_NAME_CHARS);
      const rule = new CloudwatchEventRule(this, d.id, {
        name,
        description: `Near-real-time: ${d.title}`.slice(0, 512),
        eventBusName: props.routing.bus.name,
        eventPattern: pattern,
      });
      new CloudwatchEventTarget(this, `${d.id}-target`, {
        rule: rule.name,
        eventBusName: props.routing.bus.name,
        targetId: 'near-real-time',
        arn: fn.arn,
        inputTransformer: { inputTemplate: nearRealTimeInputTemplate(d.id) },
        retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 20 },
        deadLetterConfig: { arn: fn.failureQueue.arn },
      });
      new LambdaPermission(this, `${d.id}-invokes`, {
        statementId: `near-real-time-${d.id}`.slice(0, 100),
        action: 'lambda:InvokeFunction',
        functionName: fn.name,
        principal: 'events.amazonaws.com',
        sourceArn: rule.arn,
      });
      fn.failureQueue.allowServiceToSend('events.amazonaws.com', rule.arn);
      rules.set(d.id, rule);
    }
    if (rules.size > 0) props.key.allowService('EventBridgeUseKeyForQueues', 'events.amazonaws.com');
    this.rules = rules;
  }
}

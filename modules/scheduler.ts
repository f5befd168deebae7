/**
 * EventBridge Scheduler runs for the scheduled Lambdas: the hourly detections (a few minutes after the last
 * Firehose buffer of the previous hour can have landed), the daily activity snapshot (after midnight UTC), and the
 * identity inventory (minutes before the snapshot, still after midnight: both work on the day that ended).
 *
 * Scheduler invokes Lambda asynchronously. The input carries `<aws.scheduler.scheduled-time>`, which the
 * handler turns into its window: a retry (Scheduler's or Lambda's) reruns the same window, never "the hour
 * before now". Failed deliveries go to the function's on-failure queue.
 */
import { Construct } from 'constructs';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule/index.js';
import { SchedulerScheduleGroup } from '@cdktf/provider-aws/lib/scheduler-schedule-group/index.js';
import type { ScheduledInput } from '../handlers/env.ts';
import { arn, type DeployEnv } from './deploy-env.ts';
import { ServiceRole } from './iam.ts';
import type { LakeFunction } from './lambda/function.ts';

/** Scheduler replaces this placeholder in the input with the run's scheduled time (ISO-8601, UTC). */
export const SCHEDULED_TIME_PLACEHOLDER = '<aws.scheduler.scheduled-time>';

export interface RunSchedule {
  /** Construct id and schedule name suffix, e.g. `hourly-detections`. */
  readonly id: string;
  /** Scheduler expression, e.g. `cron(20 * * * ? *)`. */
  readonly expression: string;
  readonly description: string;
  readonly target: LakeFunction;
  /** Seconds Scheduler keeps retrying a failed invoke. @default 3600 */
  readonly maximumEventAgeSeconds?: number;
  /** @default 5 */
  readonly maximumRetryAttempts?: number;
  /** More fields of the input, beside `scheduled_time` (e.g. `{"check": "log-stream"}`). @default none */
  readonly input?: Readonly<Record<string, string>>;
}

export interface RunSchedulesProps {
  readonly env: DeployEnv;
  readonly namePrefix: string;
  readonly schedules: readonly RunSchedule[];
  /** @default true */
  readonly enabled?: boolean;
}

export class RunSchedules extends Construct {
  readonly group: SchedulerScheduleGroup;
  readonly role: ServiceRole;
  readonly schedules: ReadonlyMap<string, SchedulerSchedule>;

  constructor(scope: Construct, id: string, props: RunSchedulesProps) {
    super(scope, id);
    this.group = new SchedulerScheduleGroup(this, 'group', { name: props.namePrefix });
    this.role = new ServiceRole(this, 'role', {
      name: `${props.namePrefix}-scheduler`,
      service: 'scheduler.amazonaws.com',
      description: 'EventBridge Scheduler invokes the scheduled okta-log-lake functions',
      trustConditions: {
        StringEquals: { 'aws:SourceAccount': props.env.accountId },
        ArnLike: { 'aws:SourceArn': arn(props.env, 'scheduler', `schedule/${props.namePrefix}/*`) },
      },
    });
    const schedules = new Map<string, SchedulerSchedule>();
    for (const s of props.schedules) {
      this.role.addToPolicy({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: s.target.arn });
      // Scheduler sends its dead letters with this role.
      s.target.failureQueue.grantSendMessages(this.role);
      // The handlers' contract (handlers/env.ts): the scheduled time of this run, not the time it executes.
      const input: ScheduledInput & Readonly<Record<string, string>> = { ...s.input, scheduled_time: SCHEDULED_TIME_PLACEHOLDER };
      schedules.set(
        s.id,
        new SchedulerSchedule(this, s.id, {
          name: `${props.namePrefix}-${s.id}`,
          groupName: this.group.name,
          description: s.description,
          scheduleExpression: s.expression,
          scheduleExpressionTimezone: 'UTC',
          state: props.enabled === false ? 'DISABLED' : 'ENABLED',
          flexibleTimeWindow: { mode: 'OFF' },
          target: {
            arn: s.target.arn,
            roleArn: this.role.arn,
            input: JSON.stringify(input),
            retryPolicy: {
              maximumEventAgeInSeconds: s.maximumEventAgeSeconds ?? 3600,
              maximumRetryAttempts: s.maximumRetryAttempts ?? 5,
            },
            deadLetterConfig: { arn: s.target.failureQueue.arn },
          },
          dependsOn: [this.role.policy],
        }),
      );
    }
    this.schedules = schedules;
  }
}

/** `cron(M * * * ? *)`: every hour at minute M, UTC. */
export const hourlyAt = (minute: number): string => `cron(${minute} * * * ? *)`;

/** `cron(M H * * ? *)` from `HH:MM`, UTC. */
export const dailyAt = (hhmm: string): string => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return `cron(${m} ${h} * * ? *)`;
};

/**
 * `HH:MM` `minutes` before `hhmm`, on the same day: the inventory's time before the daily run. Refuses a time
 * before midnight (the config refuses it first, naming inventory.minutesBeforeDaily).
 */
export const minutesBefore = (hhmm: string, minutes: number): string => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const at = h * 60 + m - minutes;
  if (!Number.isInteger(at) || at < 0) throw new Error(`${minutes} minutes before ${hhmm} is before midnight UTC; the inventory must run after midnight, for the day that ended`);
  return `${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}`;
};

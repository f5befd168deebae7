/**
 * The whole deployment in one stack: Okta log stream -> partner bus -> Firehose (Parquet) -> S3 lake ->
 * Glue/Athena -> scheduled Lambdas -> findings (SNS, EventBridge) -> near-time refresh-user, watched by alarms,
 * with gap recovery reading what the stream missed back from the Okta API, and the daily identity inventory read
 * from it (config `inventory`).
 */
import { join } from 'node:path';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { ConfigError } from '../config/load.ts';
import type { OktaLakeConfig } from '../config/schema.ts';
import { detectionSettings, DetectionSettingsError, loadCatalog, type Detection } from '../core/catalog.ts';
import { HANDLER_ENV, type RecoveryCheckInput } from '../handlers/env.ts';
import { lakePaths } from '../schema/layout.ts';
import { activity, findings, lakeTables, notified, okta_events } from '../schema/index.ts';
import { lakeViews } from '../schema/views.ts';
import { ATHENA_RESULTS_PREFIX, LakeWorkgroup } from './athena.ts';
import type { DeployEnv } from './deploy-env.ts';
import { FindingsOut } from './findings.ts';
import { EventsDeliveryStream } from './firehose.ts';
import { GapRecovery } from './gap-recovery.ts';
import { identityRulesEnvironment, InventoryCollection, INVENTORY_PREFIXES, INVENTORY_TABLE_NAMES } from './inventory.ts';
import { LakeCatalog } from './glue-catalog.ts';
import { LakeKey } from './kms.ts';
import { LakeBucket } from './lake-bucket.ts';
import { terraformLiteral } from './literal.ts';
import { bundleHandlers, LambdaBundle, REPO_ROOT } from './lambda/bundle.ts';
import { LakeFunction } from './lambda/function.ts';
import { InvestigationQueries, loadInvestigations } from './named-queries.ts';
import { OktaApiAccess } from './okta-api-access.ts';
import { OktaLogStream } from './okta-log-stream.ts';
import { NearRealTimeRules } from './near-real-time.ts';
import { PartnerEventRouting } from './partner-bus.ts';
import { LakeProviders } from './providers.ts';
import { dailyAt, hourlyAt, minutesBefore, RunSchedules, type RunSchedule } from './scheduler.ts';
import { Watchdog } from './watchdog.ts';

/** The Lambda entry points, relative to the repository root. Each exports `handler`. */
export const HANDLER_ENTRIES = {
  hourlyDetections: 'handlers/hourly-detections.ts',
  dailySnapshot: 'handlers/daily-snapshot.ts',
  refreshUser: 'handlers/refresh-user.ts',
  recoverGap: 'handlers/recover-gap.ts',
  inventory: 'handlers/inventory-collect.ts',
  nearRealTime: 'handlers/near-real-time-detections.ts',
} as const;

export type HandlerName = keyof typeof HANDLER_ENTRIES;
/** The functions every deployment has; `inventory` is there unless the config switches it off. */
export type CoreHandlerName = Exclude<HandlerName, 'inventory'>;

/** What refresh-user leaves itself, after waiting for fetched events to land, to rebuild the user's day. */
export const REFRESH_REBUILD_SECONDS = 240;

/** Powertools' service name on every function's logs. */
export const POWERTOOLS_SERVICE_NAME = 'okta-log-lake';

export interface OktaLogLakeStackProps {
  readonly config: OktaLakeConfig;
  /** Handler entry files (absolute, or relative to the repository root). @default HANDLER_ENTRIES */
  readonly handlerEntries?: Readonly<Record<HandlerName, string>>;
  /** Where the bundles are built. @default <repo>/dist/lambda */
  readonly bundleDir?: string;
  /** Folder of the investigation queries. @default <repo>/investigations */
  readonly investigationsDir?: string;
  /** Root the bundled asset folders (detections/, snapshots/, ...) are read from. @default the repository root */
  readonly assetRoot?: string;
  /** The detection catalog the functions ship with, that `config.detections` is checked against. @default the folders under `<assetRoot>/detections` */
  readonly catalog?: readonly Detection[];
}

/**
 * Checks the configured thresholds, exclusions and switched-off detections against the catalog the functions will load, with
 * the message the functions and the local commands give: a typo fails synth, not the first run after deploy.
 */
function checkDetectionConfig(config: OktaLakeConfig, catalog: readonly Detection[]): void {
  try {
    const { thresholds, disabledDetections: disabled, exclusions } = config.detections;
    detectionSettings(catalog, { thresholds, disabled, exclusions });
  } catch (e) {
    if (!(e instanceof DetectionSettingsError)) throw e;
    const field = { disabled: 'disabledDetections', thresholds: 'thresholds', exclusions: 'exclusions' }[e.setting];
    throw new ConfigError([`config field "detections.${field}": ${e.message}`]);
  }
}

export class OktaLogLakeStack extends TerraformStack {
  readonly key: LakeKey;
  readonly bucket: LakeBucket;
  readonly catalog: LakeCatalog;
  readonly deliveryStream: EventsDeliveryStream;
  readonly logStream: OktaLogStream;
  readonly routing: PartnerEventRouting;
  readonly workgroup: LakeWorkgroup;
  readonly functions: Readonly<Record<CoreHandlerName, LakeFunction>> & { readonly inventory?: LakeFunction };
  readonly findingsOut: FindingsOut;
  readonly schedules: RunSchedules;
  readonly watchdog: Watchdog;
  readonly gapRecovery: GapRecovery;
  /** The Okta API credentials and the api-events stream (gap recovery, refresh-user). */
  readonly oktaApi: OktaApiAccess;
  readonly bundles: Readonly<Record<CoreHandlerName, LambdaBundle>> & { readonly inventory?: LambdaBundle };
  /** The daily identity inventory; undefined when `inventory.enabled` is false. */
  readonly inventory: InventoryCollection | undefined;
  /** The EventBridge rules of the near-real-time detections (none when `detections.nearRealTime` is false). */
  readonly nearRealTime: NearRealTimeRules;

  constructor(scope: Construct, id: string, props: OktaLogLakeStackProps) {
    super(scope, id);
    const { config } = props;
    const detectionCatalog = props.catalog ?? loadCatalog(join(props.assetRoot ?? REPO_ROOT, 'detections'));
    checkDetectionConfig(config, detectionCatalog);
    const prefix = config.namePrefix;
    new LakeProviders(this, 'providers', { config });

    const env: DeployEnv = {
      accountId: config.aws.accountId ?? new DataAwsCallerIdentity(this, 'caller').accountId,
      region: config.aws.region,
      partition: 'aws',
    };

    this.key = new LakeKey(this, 'key', { env, alias: prefix, description: `${prefix}: okta-log-lake data (S3, Firehose, SQS, SNS, Athena results)` });
    this.bucket = new LakeBucket(this, 'lake', {
      bucketName: `${prefix}-${env.accountId}-${env.region}`,
      key: this.key,
      forceDestroy: config.lake.forceDestroy,
      noncurrentVersionDays: config.retentionDays.noncurrentVersions,
      expiries: [
        { id: 'events', prefix: lakePaths.events, expireAfterDays: config.retentionDays.events },
        { id: 'raw', prefix: lakePaths.raw, expireAfterDays: config.retentionDays.raw },
        { id: 'errors', prefix: lakePaths.errors, expireAfterDays: config.retentionDays.errors },
        { id: 'athena-results', prefix: ATHENA_RESULTS_PREFIX, expireAfterDays: config.retentionDays.results },
      ],
    });
    this.catalog = new LakeCatalog(this, 'catalog', {
      env,
      databaseName: prefix.replaceAll('-', '_'),
      bucket: this.bucket,
      tables: lakeTables,
      projections: { [okta_events.name]: { startDate: config.lake.projectionStartDate } },
      views: lakeViews,
    });
    this.deliveryStream = new EventsDeliveryStream(this, 'firehose', {
      env,
      name: `${prefix}-okta-events`,
      bucket: this.bucket,
      key: this.key,
      catalog: this.catalog,
      tableName: okta_events.name,
      bufferingIntervalSeconds: config.firehose.bufferingIntervalSeconds,
      bufferingSizeMb: config.firehose.bufferingSizeMb,
      logRetentionDays: config.retentionDays.logs,
    });

    this.logStream = new OktaLogStream(this, 'okta', {
      orgName: config.okta.orgName,
      name: config.okta.logStreamName,
      eventSourceName: config.okta.eventSourceName,
      accountId: env.accountId,
      region: env.region,
    });
    this.routing = new PartnerEventRouting(this, 'routing', {
      env,
      namePrefix: prefix,
      logStream: this.logStream,
      deliveryStream: this.deliveryStream,
      key: this.key,
    });

    this.workgroup = new LakeWorkgroup(this, 'athena', {
      env,
      name: prefix,
      bucket: this.bucket,
      key: this.key,
      bytesScannedCutoffPerQuery: config.athena.bytesScannedCutoffPerQuery,
      forceDestroy: config.lake.forceDestroy,
    });
    new InvestigationQueries(this, 'investigations', {
      namePrefix: prefix,
      workgroupName: this.workgroup.name,
      databaseName: this.catalog.name,
      investigations: loadInvestigations(props.investigationsDir ?? join(REPO_ROOT, 'investigations')),
    });

    this.findingsOut = new FindingsOut(this, 'findings', {
      env,
      namePrefix: prefix,
      key: this.key,
      emails: config.notifications.findingEmails,
    });

    this.oktaApi = new OktaApiAccess(this, 'okta-api', {
      env,
      namePrefix: prefix,
      key: this.key,
      bucket: this.bucket,
      catalog: this.catalog,
      orgUrl: `https://${config.okta.orgName}.${config.okta.baseUrl}`,
      logRetentionDays: config.retentionDays.logs,
      forceDestroy: config.lake.forceDestroy,
    });

    const entries = props.handlerEntries ?? HANDLER_ENTRIES;
    const bundleDir = props.bundleDir ?? join(REPO_ROOT, 'dist', 'lambda');
    // Variables every function has (Powertools' service name, log level).
    const baseEnvironment = { POWERTOOLS_SERVICE_NAME, LOG_LEVEL: 'INFO' };
    const environment: Record<string, string> = {
      [HANDLER_ENV.workgroup]: this.workgroup.name,
      [HANDLER_ENV.database]: this.catalog.name,
      [HANDLER_ENV.bucket]: this.bucket.name,
      [HANDLER_ENV.findingsTopicArn]: this.findingsOut.topic.arn,
      [HANDLER_ENV.findingsEventBus]: this.findingsOut.eventBusArn,
      [HANDLER_ENV.thresholds]: terraformLiteral(JSON.stringify(config.detections.thresholds)),
      [HANDLER_ENV.disabledDetections]: terraformLiteral(JSON.stringify(config.detections.disabledDetections)),
      // Exclusions share the functions' 4 KB environment with the rest (modules/lambda/function.ts checks the total).
      [HANDLER_ENV.exclusions]: terraformLiteral(JSON.stringify(config.detections.exclusions)),
      ...baseEnvironment,
    };
    // No reserved concurrency: AWS only lets a reservation leave 100 executions unreserved, and new accounts start
    // with a quota of 10. Refreshes run one at a time through the escalation FIFO queue instead (findings.ts).
    type DetectionFunction = Exclude<CoreHandlerName, 'recoverGap'>;
    const inventoryOn = config.inventory.enabled;
    const specs: Record<DetectionFunction, { id: string; description: string; timeout: number; maxAge: number; writes: string[] }> = {
      hourlyDetections: {
        id: 'hourly-detections',
        description: 'Runs the hourly detections over the previous arrival hour of Okta events',
        timeout: 600,
        maxAge: 3 * 3600,
        writes: [findings.name, notified.name],
      },
      dailySnapshot: {
        id: 'daily-snapshot',
        description: 'Writes the per-user activity snapshot of the previous day and runs the daily detections',
        timeout: 900,
        maxAge: 6 * 3600,
        writes: [findings.name, activity.name, notified.name],
      },
      nearRealTime: {
        id: 'near-real-time',
        description: 'Tells the findings of single-event detections within a minute of the event (EventBridge rules on the partner bus)',
        // A few Athena queries (the ledger, the identity line) and one notification.
        timeout: 120,
        maxAge: 3600,
        writes: [notified.name],
      },
      refreshUser: {
        id: 'refresh-user',
        description: "Re-runs one user's activity snapshot and checks at once (a finding about the user, or on demand)",
        // Long enough to wait for what it fetched from Okta to land (the api-events stream's delivery time), then
        // rebuild the day: a refresh cut short by its timeout would hold the escalation queue for its retries.
        timeout: Math.max(300, this.oktaApi.deliverySeconds + REFRESH_REBUILD_SECONDS),
        maxAge: 3600,
        writes: [findings.name, activity.name, notified.name],
      },
    };
    const handlerNames = Object.keys(specs) as DetectionFunction[];
    const recoverGapId = 'recover-gap';
    const inventoryId = 'inventory';
    const built = bundleHandlers({
      entries: {
        ...Object.fromEntries(handlerNames.map((n) => [specs[n].id, entries[n]])),
        [recoverGapId]: entries.recoverGap,
        ...(inventoryOn ? { [inventoryId]: entries.inventory } : {}),
      },
      outDir: bundleDir,
      ...(props.assetRoot ? { rootDir: props.assetRoot } : {}),
    });
    const bundles = {} as Record<CoreHandlerName, LambdaBundle> & { inventory?: LambdaBundle };
    const functions = {} as Record<CoreHandlerName, LakeFunction> & { inventory?: LakeFunction };
    for (const name of handlerNames) {
      const spec = specs[name];
      bundles[name] = new LambdaBundle(this, `${spec.id}-bundle`, { bundle: built[spec.id]! });
      const fn = new LakeFunction(this, spec.id, {
        functionName: `${prefix}-${spec.id}`,
        description: spec.description,
        bundle: bundles[name],
        key: this.key,
        // refresh-user fetches the user's newest events from Okta first, when the secret has a value, and with the
        // identity rules (the inventory switched on) re-reads the user's inventory before their posture checks.
        environment:
          name === 'refreshUser'
            ? { ...environment, ...this.oktaApi.environment, ...(inventoryOn ? identityRulesEnvironment(config.inventory.identities) : {}) }
            : environment,
        timeoutSeconds: spec.timeout,
        memoryMb: 512,
        logRetentionDays: config.retentionDays.logs,
        maxEventAgeSeconds: spec.maxAge,
      });
      // Every detection function reads the inventory: the daily and posture checks (the snapshot's and a refresh's),
      // and the identity line of every user finding's notification (core/identity-context.ts). A refresh also writes
      // the user's own batch of it.
      const readsInventory = inventoryOn;
      const writesInventory = inventoryOn && name === 'refreshUser';
      this.workgroup.grantQuery(fn);
      // The tables, and the views the checks select from (the posture checks read the inventory's *_current views).
      this.catalog.grantRead(fn, [...lakeTables.map((t) => t.name), ...lakeViews.map((v) => v.name)]);
      this.catalog.grantWritePartitions(fn, [...spec.writes, ...(writesInventory ? INVENTORY_TABLE_NAMES : [])]);
      this.bucket.grant(fn, 'read', [lakePaths.events, ...(readsInventory && !writesInventory ? INVENTORY_PREFIXES : [])]);
      this.bucket.grant(fn, 'read-write', [lakePaths.findings, lakePaths.activity, lakePaths.notified, ...(writesInventory ? INVENTORY_PREFIXES : [])]);
      this.findingsOut.grantNotify(fn);
      if (name === 'refreshUser') {
        this.oktaApi.grantReadCredentials(fn);
        this.oktaApi.grantPutEvents(fn);
      }
      functions[name] = fn;
    }
    this.findingsOut.escalateUserFindingsTo(functions.refreshUser);
    this.nearRealTime = new NearRealTimeRules(this, 'near-real-time-rules', {
      namePrefix: prefix,
      routing: this.routing,
      detections: config.detections.nearRealTime
        ? detectionCatalog.filter((d) => d.near_real_time && !config.detections.disabledDetections.includes(d.id))
        : [],
      function: functions.nearRealTime,
      key: this.key,
    });

    if (inventoryOn) {
      bundles.inventory = new LambdaBundle(this, `${inventoryId}-bundle`, { bundle: built[inventoryId]! });
      this.inventory = new InventoryCollection(this, inventoryId, {
        namePrefix: prefix,
        key: this.key,
        bucket: this.bucket,
        catalog: this.catalog,
        workgroup: this.workgroup,
        oktaApi: this.oktaApi,
        bundle: bundles.inventory,
        rules: config.inventory.identities,
        includeDeprovisioned: config.inventory.includeDeprovisioned,
        baseEnvironment,
        logRetentionDays: config.retentionDays.logs,
      });
      functions.inventory = this.inventory.function;
    } else {
      this.inventory = undefined;
    }

    this.watchdog = new Watchdog(this, 'watchdog', {
      env,
      namePrefix: prefix,
      key: this.key,
      emails: config.notifications.opsEmails,
      routing: this.routing,
      deliveryStream: this.deliveryStream,
      bufferingIntervalSeconds: config.firehose.bufferingIntervalSeconds,
      silenceMinutes: config.watchdog.silenceMinutes,
      functions: Object.values(functions),
      queues: {
        'okta-events-dlq': this.routing.deadLetterQueue,
        'refresh-requests-dlq': this.findingsOut.escalationQueues!.deadLetters,
        ...Object.fromEntries(Object.values(functions).map((f) => [`${f.node.id}-failures`, f.failureQueue])),
      },
    });

    bundles.recoverGap = new LambdaBundle(this, `${recoverGapId}-bundle`, { bundle: built[recoverGapId]! });
    this.gapRecovery = new GapRecovery(this, 'gap-recovery', {
      env,
      namePrefix: prefix,
      key: this.key,
      bucket: this.bucket,
      catalog: this.catalog,
      workgroup: this.workgroup,
      bundle: bundles.recoverGap,
      watchdog: this.watchdog,
      hourlyDetections: functions.hourlyDetections,
      oktaApi: this.oktaApi,
      okta: {
        eventSourceName: config.okta.eventSourceName,
        logStreamName: config.okta.logStreamName,
      },
      silenceMinutes: config.watchdog.silenceMinutes,
      hourlyMinute: config.schedules.hourlyMinute,
      partnerBufferingIntervalSeconds: config.firehose.bufferingIntervalSeconds,
      baseEnvironment,
      logRetentionDays: config.retentionDays.logs,
    });
    functions.recoverGap = this.gapRecovery.function;
    this.bundles = bundles;
    this.functions = functions;

    // The hourly check of gap recovery, half an hour off the hourly detections.
    const checkMinute = (config.schedules.hourlyMinute + 30) % 60;
    // The inventory, minutes before the nightly run whose posture checks read it: after midnight, for the day that ended.
    const inventorySchedule: RunSchedule[] = [];
    if (functions.inventory) {
      const inventoryAt = minutesBefore(config.schedules.dailyAt, config.inventory.minutesBeforeDaily);
      inventorySchedule.push({
        id: 'inventory',
        expression: dailyAt(inventoryAt),
        description: `Identity inventory from the Okta API for the previous day, at ${inventoryAt} UTC (${config.inventory.minutesBeforeDaily} minutes before the daily snapshot)`,
        target: functions.inventory,
        maximumEventAgeSeconds: 6 * 3600,
      });
    }
    this.schedules = new RunSchedules(this, 'schedules', {
      env,
      namePrefix: prefix,
      enabled: config.schedules.enabled,
      schedules: [
        {
          id: 'hourly-detections',
          expression: hourlyAt(config.schedules.hourlyMinute),
          description: `Hourly detections for the previous hour, at minute ${config.schedules.hourlyMinute} UTC (after the Firehose buffer has landed)`,
          target: functions.hourlyDetections,
        },
        {
          id: 'daily-snapshot',
          expression: dailyAt(config.schedules.dailyAt),
          description: `Daily activity snapshot for the previous day, at ${config.schedules.dailyAt} UTC`,
          target: functions.dailySnapshot,
          maximumEventAgeSeconds: 6 * 3600,
        },
        {
          id: 'recover-gap-check',
          expression: hourlyAt(checkMinute),
          description: `Gap recovery's hourly check, at minute ${checkMinute} UTC: is the Okta log stream ACTIVE, does the lake miss a window?`,
          target: functions.recoverGap,
          // The check names what it checks (handlers/env.ts RecoveryCheckInput).
          input: { check: 'log-stream' } satisfies Omit<RecoveryCheckInput, 'scheduled_time'>,
        },
        ...inventorySchedule,
      ],
    });

    const out = (id: string, value: string, description: string) => new TerraformOutput(this, id, { value, description });
    out('partner_event_source', this.logStream.partnerEventSourceName, 'Partner event source Okta creates; must show ACTIVE in EventBridge > Partner event sources');
    out('event_bus', this.routing.bus.name, 'Partner event bus receiving Okta events');
    out('bucket', this.bucket.name, 'Lake bucket');
    out('glue_database', this.catalog.name, 'Glue database (okta_events, findings, activity)');
    out('athena_workgroup', this.workgroup.name, 'Athena workgroup');
    out('firehose_stream', this.deliveryStream.name, 'Firehose delivery stream');
    for (const [name, fn] of Object.entries(functions)) out(`function_${fn.node.id.replaceAll('-', '_')}`, fn.name, `Lambda ${name}`);
    out('findings_topic', this.findingsOut.topic.arn, 'SNS topic for findings');
    out('ops_topic', this.watchdog.topic.arn, 'SNS topic for watchdog alarms and gap recovery reports');
    out('okta_api_secret', this.oktaApi.secret.arn, 'Secrets Manager secret for the Okta API credentials of gap recovery, refresh-user and the inventory (put its value with aws secretsmanager put-secret-value)');
    out('api_events_stream', this.oktaApi.apiStream.name, 'Firehose delivery stream of events read back from the Okta API');
  }
}

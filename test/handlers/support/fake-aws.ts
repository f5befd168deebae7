/**
 * Faked AWS for handler and engine tests (aws-sdk-client-mock): an Athena that answers each started query
 * from a script, an S3 bucket held in memory, and recorders for SNS and EventBridge. No network.
 *
 * Athena's answers look like the real ones: GetQueryExecution reports QUEUED/RUNNING for a few polls and then
 * the scripted end state; GetQueryResults pages the rows (`pageSize` per page, the first row of the first page
 * being the header, as Athena sends it) with the column types in ResultSetMetadata.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type StartQueryExecutionCommandInput,
} from '@aws-sdk/client-athena';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';

export interface Column {
  readonly name: string;
  readonly type: string;
}

/** What a started query does. */
export interface Outcome {
  /** @default SUCCEEDED */
  readonly state?: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  readonly reason?: string;
  readonly columns?: readonly Column[];
  /** Cells as Athena's text (`null` for SQL NULL). */
  readonly rows?: readonly (readonly (string | null)[])[];
  /** GetQueryExecution polls answered RUNNING before the end state. @default 1 */
  readonly runningPolls?: number;
}

export interface StartedQuery {
  readonly id: string;
  readonly sql: string;
  readonly params: readonly string[];
  readonly input: StartQueryExecutionCommandInput;
}

/** A throttling error as the SDK raises it. */
export function throttlingError(name = 'TooManyRequestsException'): Error {
  const e = new Error(`Rate exceeded (${name})`);
  e.name = name;
  return e;
}

export class FakeAws {
  readonly athenaMock: AwsClientStub<AthenaClient> = mockClient(AthenaClient);
  readonly s3Mock: AwsClientStub<S3Client> = mockClient(S3Client);
  readonly snsMock: AwsClientStub<SNSClient> = mockClient(SNSClient);
  readonly eventsMock: AwsClientStub<EventBridgeClient> = mockClient(EventBridgeClient);
  readonly athena = new AthenaClient({ region: 'eu-west-1' });
  readonly s3 = new S3Client({ region: 'eu-west-1' });
  readonly sns = new SNSClient({ region: 'eu-west-1' });
  readonly events = new EventBridgeClient({ region: 'eu-west-1' });

  /** Every StartQueryExecution that reached Athena, in order. */
  readonly queries: StartedQuery[] = [];
  /** Objects in the bucket: key -> the rows an INSERT wrote there (for the read-back). */
  readonly objects = new Map<string, readonly (readonly (string | null)[])[]>();
  /** When an object was written, where a test cares (ListObjectsV2's LastModified). @default the epoch */
  readonly modifiedAt = new Map<string, Date>();
  /** Every S3, Athena, SNS and EventBridge call, `Service.Operation`, in order. */
  readonly calls: string[] = [];
  /** Rows per GetQueryResults page (the header counts on the first page). */
  pageSize = 1000;
  /** Objects per ListObjectsV2 page. */
  listPageSize = 1000;
  /** Calls to fail with a throttling error before answering: operation -> how many. */
  readonly throttle = new Map<string, number>();

  private readonly outcomes = new Map<string, Outcome & { polls: number }>();
  private readonly tokens = new Map<string, string>();

  constructor(private readonly script: (query: StartedQuery) => Outcome) {
    this.athenaMock.on(StartQueryExecutionCommand).callsFake((input: StartQueryExecutionCommandInput) => {
      this.gate('Athena.StartQueryExecution');
      // Athena's idempotency: the same token gets the same query back.
      const known = input.ClientRequestToken ? this.tokens.get(input.ClientRequestToken) : undefined;
      if (known) return { QueryExecutionId: known };
      const query: StartedQuery = {
        id: `q-${this.queries.length + 1}`,
        sql: input.QueryString ?? '',
        params: input.ExecutionParameters ?? [],
        input,
      };
      this.queries.push(query);
      if (input.ClientRequestToken) this.tokens.set(input.ClientRequestToken, query.id);
      this.outcomes.set(query.id, { ...this.script(query), polls: 0 });
      return { QueryExecutionId: query.id };
    });
    this.athenaMock.on(GetQueryExecutionCommand).callsFake(({ QueryExecutionId }: { QueryExecutionId: string }) => {
      this.gate('Athena.GetQueryExecution');
      const outcome = this.outcome(QueryExecutionId);
      outcome.polls++;
      const running = outcome.runningPolls ?? 1;
      const state = outcome.polls <= running ? (outcome.polls === 1 ? 'QUEUED' : 'RUNNING') : (outcome.state ?? 'SUCCEEDED');
      return {
        QueryExecution: {
          QueryExecutionId,
          Status: { State: state, ...(state === 'FAILED' || state === 'CANCELLED' ? { StateChangeReason: outcome.reason } : {}) },
          Statistics: { DataScannedInBytes: 10_485_760, EngineExecutionTimeInMillis: 1234 },
        },
      };
    });
    this.athenaMock.on(StopQueryExecutionCommand).callsFake(() => {
      this.gate('Athena.StopQueryExecution');
      return {};
    });
    this.athenaMock.on(GetQueryResultsCommand).callsFake(({ QueryExecutionId, NextToken }: { QueryExecutionId: string; NextToken?: string }) => {
      this.gate('Athena.GetQueryResults');
      const outcome = this.outcome(QueryExecutionId);
      const columns = outcome.columns ?? [];
      const all = [columns.map((c) => c.name), ...(outcome.rows ?? [])];
      const start = NextToken ? Number(NextToken.split(':')[1]) : 0;
      const page = all.slice(start, start + this.pageSize);
      const next = start + this.pageSize < all.length ? `${QueryExecutionId}:${start + this.pageSize}` : undefined;
      return {
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: columns.map((c) => ({ Name: c.name, Label: c.name, Type: c.type })) },
          Rows: page.map((cells) => ({ Data: cells.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        },
        NextToken: next,
      };
    });

    this.s3Mock.on(ListObjectsV2Command).callsFake(({ Prefix, ContinuationToken }: { Prefix?: string; ContinuationToken?: string }) => {
      this.gate('S3.ListObjectsV2');
      // Like S3, the continuation token marks a key, not an offset: deleting while paging skips nothing.
      const keys = [...this.objects.keys()].filter((k) => k.startsWith(Prefix ?? '') && (!ContinuationToken || k > ContinuationToken)).sort();
      const page = keys.slice(0, this.listPageSize);
      const truncated = keys.length > this.listPageSize;
      return {
        Contents: page.map((Key) => ({ Key, LastModified: this.modifiedAt.get(Key) ?? new Date(0) })),
        KeyCount: page.length,
        IsTruncated: truncated,
        NextContinuationToken: truncated ? page[page.length - 1] : undefined,
      };
    });
    this.s3Mock.on(DeleteObjectsCommand).callsFake(({ Delete }: { Delete?: { Objects?: { Key?: string }[] } }) => {
      this.gate('S3.DeleteObjects');
      for (const o of Delete?.Objects ?? []) this.objects.delete(o.Key!);
      return { Deleted: (Delete?.Objects ?? []).map((o) => ({ Key: o.Key })) };
    });

    this.snsMock.on(PublishCommand).callsFake(() => {
      this.gate('SNS.Publish');
      return { MessageId: `m-${this.calls.length}` };
    });
    this.eventsMock.on(PutEventsCommand).callsFake(({ Entries }: { Entries?: unknown[] }) => {
      this.gate('EventBridge.PutEvents');
      return { FailedEntryCount: 0, Entries: (Entries ?? []).map((_, i) => ({ EventId: `e-${this.calls.length}-${i}` })) };
    });
  }

  /** Restores the real clients' `send` (call in afterEach). */
  restore(): void {
    for (const m of [this.athenaMock, this.s3Mock, this.snsMock, this.eventsMock]) m.restore();
  }

  /** Calls of one operation, e.g. `SNS.Publish`. */
  count(operation: string): number {
    return this.calls.filter((c) => c === operation).length;
  }

  private gate(operation: string): void {
    this.calls.push(operation);
    const left = this.throttle.get(operation) ?? 0;
    if (left > 0) {
      this.throttle.set(operation, left - 1);
      throw throttlingError(operation.startsWith('Athena.') ? 'TooManyRequestsException' : 'ThrottlingException');
    }
  }

  private outcome(id: string): Outcome & { polls: number } {
    const o = this.outcomes.get(id);
    if (!o) {
      const e = new Error(`QueryExecution ${id} was not found`);
      e.name = 'InvalidRequestException';
      throw e;
    }
    return o;
  }
}

/** A sleep that returns at once and remembers how long it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

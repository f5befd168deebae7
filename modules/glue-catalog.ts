/**
 * The Glue database and its tables, generated from `schema/` (never written by hand): one column per schema
 * column with its `hiveType`, the partition keys as strings, Parquet SerDe, and the table's location from its
 * definition. No crawler.
 *
 * Tables listed in `projections` get Athena partition projection on `dt` (date, `yyyy-MM-dd`, from a start
 * date to NOW) and `hour` (integer 0-23, two digits): the arrival partitions Firehose writes. The others
 * (`findings`, `activity`, `notified`) are written by Athena `INSERT INTO`, which registers their partitions in Glue.
 */
import { Construct } from 'constructs';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database/index.js';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table/index.js';
import { athenaViewType, hiveType, type TableDef } from '../schema/types.ts';
import type { ViewDef } from '../schema/views.ts';
import { arn, type DeployEnv } from './deploy-env.ts';
import type { Grantable } from './iam.ts';
import type { LakeBucket } from './lake-bucket.ts';
import { terraformLiteral } from './literal.ts';

export const PARQUET_INPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat';
export const PARQUET_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat';
export const PARQUET_SERDE = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe';

export interface HourlyProjection {
  /** First `dt` the projection enumerates (`YYYY-MM-DD`). */
  readonly startDate: string;
}

export interface LakeCatalogProps {
  readonly env: DeployEnv;
  /** Glue database name (lower case, `_` not `-`). */
  readonly databaseName: string;
  readonly bucket: LakeBucket;
  /** Tables of the lake, from `schema/index.ts`. */
  readonly tables: readonly TableDef[];
  /** Tables partitioned by arrival `dt`/`hour` that Athena projects instead of reading partitions from Glue. */
  readonly projections: Readonly<Record<string, HourlyProjection>>;
  /** Views over the tables, from `schema/views.ts`. @default none */
  readonly views?: readonly ViewDef[];
}

const GLUE_READ = ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'];
const GLUE_WRITE_PARTITIONS = ['glue:CreatePartition', 'glue:BatchCreatePartition', 'glue:UpdatePartition'];

export class LakeCatalog extends Construct {
  readonly database: GlueCatalogDatabase;
  readonly name: string;
  readonly tables: ReadonlyMap<string, GlueCatalogTable>;
  /** The Athena views (VIRTUAL_VIEW tables) by name. */
  readonly views: ReadonlyMap<string, GlueCatalogTable>;
  private readonly env: DeployEnv;
  private readonly databaseName: string;

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id);
    this.env = props.env;
    this.databaseName = props.databaseName;
    for (const name of Object.keys(props.projections)) {
      const t = props.tables.find((x) => x.name === name);
      if (!t) throw new Error(`LakeCatalog: projection for unknown table "${name}"`);
      if (t.partitionKeys.join(',') !== 'dt,hour') {
        throw new Error(`LakeCatalog: table "${name}" is partitioned by (${t.partitionKeys.join(', ')}); hourly projection needs (dt, hour)`);
      }
    }
    this.database = new GlueCatalogDatabase(this, 'database', {
      name: props.databaseName,
      description: 'okta-log-lake: Okta System Log events, findings and per-user activity',
    });
    this.name = this.database.name;
    const tables = new Map<string, GlueCatalogTable>();
    for (const def of props.tables) {
      const projection = props.projections[def.name];
      const location = props.bucket.url(def.location);
      tables.set(
        def.name,
        new GlueCatalogTable(this, def.name, {
          name: def.name,
          databaseName: this.name,
          description: def.description,
          tableType: 'EXTERNAL_TABLE',
          parameters: {
            EXTERNAL: 'TRUE',
            classification: 'parquet',
            'parquet.compression': 'SNAPPY',
            ...(projection ? hourlyProjectionParameters(location, projection) : {}),
          },
          partitionKeys: def.partitionKeys.map((name) => ({ name, type: 'string' })),
          storageDescriptor: {
            location,
            inputFormat: PARQUET_INPUT_FORMAT,
            outputFormat: PARQUET_OUTPUT_FORMAT,
            serDeInfo: { serializationLibrary: PARQUET_SERDE, parameters: { 'serialization.format': '1' } },
            columns: Object.entries(def.columns).map(([name, type]) => ({ name, type: hiveType(type) })),
          },
        }),
      );
    }
    this.tables = tables;
    const views = new Map<string, GlueCatalogTable>();
    for (const view of props.views ?? []) {
      if (!tables.has(view.source.name)) throw new Error(`LakeCatalog: view "${view.name}" reads table "${view.source.name}", which is not in the catalog`);
      views.set(view.name, athenaView(this, this.name, props.databaseName, view));
    }
    this.views = views;
  }

  table(name: string): GlueCatalogTable {
    const t = this.tables.get(name);
    if (!t) throw new Error(`LakeCatalog: no table "${name}"`);
    return t;
  }

  get catalogArn(): string {
    return arn(this.env, 'glue', 'catalog');
  }

  get databaseArn(): string {
    return arn(this.env, 'glue', `database/${this.databaseName}`);
  }

  /** The ARN of a table or a view (Glue keeps views as tables: querying one needs glue:GetTable on it). */
  tableArn(name: string): string {
    if (!this.views.has(name)) this.table(name);
    return arn(this.env, 'glue', `table/${this.databaseName}/${name}`);
  }

  /**
   * Read the schema (and partitions) of these tables and views: Athena queries, Firehose's Parquet conversion. A query
   * of a view reads the view's definition (glue:GetTable on the view) and then the tables it selects from.
   */
  grantRead(grantee: Grantable, tableNames: readonly string[], actions: readonly string[] = GLUE_READ): void {
    grantee.addToPolicy({
      Effect: 'Allow',
      Action: [...actions],
      Resource: [this.catalogArn, this.databaseArn, ...tableNames.map((n) => this.tableArn(n))],
    });
  }

  /** Register partitions of these tables: what Athena `INSERT INTO` does after writing a new partition. */
  grantWritePartitions(grantee: Grantable, tableNames: readonly string[]): void {
    for (const name of tableNames) this.table(name);
    grantee.addToPolicy({
      Effect: 'Allow',
      Action: [...GLUE_WRITE_PARTITIONS],
      Resource: [this.catalogArn, this.databaseArn, ...tableNames.map((n) => this.tableArn(n))],
    });
  }
}

/**
 * An Athena view declared in Glue, as Athena itself stores one made with CREATE VIEW: a VIRTUAL_VIEW table whose
 * original text is `/* Presto View: <base64 of a JSON definition> *\/` (the SQL, the catalog and schema it resolves
 * names in, and the columns with Trino types), and whose storage descriptor lists the same columns with Hive types.
 * Declaring it in the plan, rather than running DDL after deploy, keeps it in step with the code on every apply.
 * The format is undocumented but stable; terraform-aws-athena-view (iconara) and the AWS CDK community use it.
 */
function athenaView(scope: Construct, databaseRef: string, databaseName: string, view: ViewDef): GlueCatalogTable {
  const columns = [
    ...Object.entries(view.source.columns).map(([name, type]) => ({ name, hive: hiveType(type), trino: athenaViewType(type) })),
    ...view.source.partitionKeys.map((name) => ({ name, hive: 'string', trino: 'varchar' })),
  ];
  const definition = {
    originalSql: view.sql,
    catalog: 'awsdatacatalog',
    schema: databaseName,
    columns: columns.map((c) => ({ name: c.name, type: c.trino })),
  };
  return new GlueCatalogTable(scope, view.name, {
    name: view.name,
    databaseName: databaseRef,
    description: view.description,
    tableType: 'VIRTUAL_VIEW',
    viewOriginalText: `/* Presto View: ${Buffer.from(JSON.stringify(definition), 'utf8').toString('base64')} */`,
    viewExpandedText: '/* Presto View */',
    parameters: { presto_view: 'true', comment: 'Presto View' },
    storageDescriptor: {
      serDeInfo: { name: '-', serializationLibrary: '-' },
      columns: columns.map((c) => ({ name: c.name, type: c.hive })),
    },
  });
}

/**
 * Athena partition projection for arrival-hour partitions. `${dt}`/`${hour}` in the template are Athena's, so
 * they are escaped for Terraform (`$${...}`).
 */
export function hourlyProjectionParameters(location: string, p: HourlyProjection): Record<string, string> {
  return {
    'projection.enabled': 'true',
    'projection.dt.type': 'date',
    'projection.dt.format': 'yyyy-MM-dd',
    'projection.dt.range': `${p.startDate},NOW`,
    'projection.dt.interval': '1',
    'projection.dt.interval.unit': 'DAYS',
    'projection.hour.type': 'integer',
    'projection.hour.range': '0,23',
    'projection.hour.digits': '2',
    'storage.location.template': `${location}${terraformLiteral('dt=${dt}/hour=${hour}/')}`,
  };
}

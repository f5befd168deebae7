/**
 * The detection catalog: every folder under `detections/` is one detection (`detection.yaml` + `query.sql`
 * + fixtures). Loading validates each folder and names the file and field at fault.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod/mini';
import './zod-mini.ts';
import { eventPatternSchema } from './event-pattern.ts';
import { ExclusionError, resolveExclusions, type DetectionExclusions, type ExclusionConfig } from './exclusions.ts';

export const SEVERITIES = ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The peers whose public rules the catalog maps to (../shared/research/detections-vs-peers.md). */
export const PEERS = ['panther', 'elastic', 'sigma', 'splunk', 'okta', 'datadog'] as const;
export type Peer = (typeof PEERS)[number];

const ID = /^okta-[a-z0-9]+(-[a-z0-9]+)*$/;
const PARAM = /^[a-z][a-z0-9_]*$/;

const text = (min: number) => z.string().check(z.minLength(min));

const metadataSchema = z.strictObject({
  id: z.string().check(z.regex(ID, 'must be okta- followed by lower-case words joined by -')),
  title: text(5),
  description: text(10),
  severity: z.enum(SEVERITIES),
  /** MITRE ATT&CK technique ids, e.g. T1110.003. */
  mitre: z.array(z.string().check(z.regex(/^T\d{4}(\.\d{3})?$/, 'must be a MITRE ATT&CK technique id like T1110 or T1110.003'))).check(z.minLength(1)),
  /**
   * hourly: over the last arrival hours of okta_events; daily: over a day's activity (and events); posture: over a
   * day's identity inventory (okta_users, okta_factors, ...), with activity, once a day and for one user when a
   * finding about them cascades. A posture finding's id hashes its `evidence`, not the day, so an identity that
   * keeps failing the same way is notified once.
   */
  cadence: z.enum(['hourly', 'daily', 'posture']),
  /** Arrival hours the query reads, ending with the run hour (hourly detections only). */
  lookback_hours: z._default(z.int().check(z.gte(1), z.lte(48)), 1),
  thresholds: z._default(
    z.record(
      z.string().check(z.regex(PARAM, 'threshold names are lower_snake_case')),
      z.strictObject({
        /** A number, or a comma-separated list of values as text (e.g. ISO country codes). */
        default: z.union([z.number(), z.string()]),
        description: text(5),
        min: z.optional(z.number()),
        max: z.optional(z.number()),
      }),
    ),
    {},
  ),
  runbook: text(10),
  false_positives: z.array(z.string()).check(z.minLength(1)),
  references: z._default(z.array(z.string()), []),
  /**
   * The public peer rules this detection answers for, by peer (names as the peer publishes them; `(partial)` where
   * ours covers only part of the rule). Shown in docs/detections.md so a team moving from a peer sees what it keeps.
   */
  peer_rules: z._default(
    z.strictObject(Object.fromEntries(PEERS.map((p) => [p, z.optional(z.array(text(3)))])) as Record<Peer, z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniString>>>),
    {},
  ),
  /**
   * A near-real-time path for a detection that needs one event and no history: an EventBridge rule on the partner
   * bus whose pattern is `pattern` (on the Okta LogEvent, Okta's own field names: `eventType`, `outcome.result`,
   * `debugContext.debugData.*`) calls the near-real-time function within a minute, which notifies the finding the
   * hourly run will find, under the same id (core/near-real-time.ts). `entity` names the finding's entity exactly as
   * query.sql does; `raise` gives the severity of events matching `when` (the first that matches) where the query
   * raises it. test/detections/near-real-time.test.ts checks all three against the fixtures.
   */
  near_real_time: z.optional(
    z.strictObject({
      pattern: eventPatternSchema,
      entity: z
        .strictObject({
          /** The finding's entity_type. */
          type: z.string().check(z.regex(/^[a-z][a-z_]*$/)),
          /** The actor, or the first target of `target_type`. */
          from: z.enum(['actor', 'target']),
          target_type: z.optional(text(1)),
          /** The fields tried in order, the first not null naming the entity. @default [alternateId, id] */
          fields: z._default(z.array(z.enum(['alternateId', 'id', 'displayName'])).check(z.minLength(1)), ['alternateId', 'id']),
          /** The entity id when every field is null. @default none: the event makes no finding */
          fallback: z.optional(text(1)),
        })
        .check(z.refine((e) => (e.from === 'target') === (e.target_type !== undefined), { message: 'target_type is required with from: target, and only then' })),
      raise: z._default(z.array(z.strictObject({ severity: z.enum(SEVERITIES), when: eventPatternSchema })), []),
    }),
  ),
  /**
   * Where the peers disagree on a threshold or a severity: what we chose and why (e.g. a lower band at a lower
   * severity). Shown in the catalog doc.
   */
  tuning: z.optional(text(10)),
}).check(
  z.refine((m) => !m.near_real_time || (m.cadence === 'hourly' && m.lookback_hours === 1), {
    message: 'only an hourly detection over one hour (a single event, no history) can have a near-real-time path',
    path: ['near_real_time'],
  }),
);

export type DetectionMetadata = z.infer<typeof metadataSchema>;

export interface Detection extends DetectionMetadata {
  /** Athena (Trino) SQL with `:name` parameters. */
  readonly sql: string;
  /** Folder of the detection, when loaded from disk. */
  readonly dir?: string;
}

export class CatalogError extends Error {}

/** A configured threshold or switched-off detection the catalog does not accept; `setting` says which of the two. */
export class DetectionSettingsError extends CatalogError {
  constructor(
    readonly setting: 'thresholds' | 'disabled' | 'exclusions',
    message: string,
  ) {
    super(message);
  }
}

/** Validates one detection's files; `where` names the folder for messages. */
export function parseDetection(where: string, yamlText: string, sql: string): Detection {
  let raw: unknown;
  try {
    raw = parseYaml(yamlText);
  } catch (e) {
    throw new CatalogError(`${where}/detection.yaml: not valid YAML: ${(e as Error).message}`);
  }
  const parsed = metadataSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(top level)';
    throw new CatalogError(`${where}/detection.yaml: field "${field}": ${issue.message}`);
  }
  if (sql.trim() === '') throw new CatalogError(`${where}/query.sql is empty`);
  return { ...parsed.data, sql };
}

/** Loads every detection folder under `dir`, sorted by id; the folder name must equal the id. */
export function loadCatalog(dir: string): Detection[] {
  if (!existsSync(dir)) throw new CatalogError(`detections folder ${dir} does not exist`);
  const out: Detection[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const folder = join(dir, entry.name);
    const yamlPath = join(folder, 'detection.yaml');
    const sqlPath = join(folder, 'query.sql');
    for (const p of [yamlPath, sqlPath]) if (!existsSync(p)) throw new CatalogError(`${folder}: missing ${p.slice(folder.length + 1)}`);
    const detection = parseDetection(folder, readFileSync(yamlPath, 'utf8'), readFileSync(sqlPath, 'utf8'));
    if (detection.id !== entry.name) {
      throw new CatalogError(`${yamlPath}: field "id" is "${detection.id}" but the folder is "${entry.name}"; they must match`);
    }
    out.push({ ...detection, dir: folder });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export type ThresholdValue = number | string;

/** Threshold overrides by detection id, e.g. `{"okta-password-spray": {"min_users": 20}}`. */
export type ThresholdOverrides = Readonly<Record<string, Readonly<Record<string, ThresholdValue>>>>;

/**
 * The threshold values each detection runs with: its defaults, overridden by `overrides`. An override for
 * an unknown detection or threshold, or out of the threshold's range, is an error naming it.
 */
export function resolveThresholds(
  catalog: readonly Detection[],
  overrides: ThresholdOverrides = {},
): Map<string, Record<string, ThresholdValue>> {
  const byId = new Map(catalog.map((d) => [d.id, d]));
  for (const [id, values] of Object.entries(overrides)) {
    const d = byId.get(id);
    if (!d) throw new DetectionSettingsError('thresholds', `thresholds: no detection "${id}" (known: ${[...byId.keys()].join(', ')})`);
    for (const [name, value] of Object.entries(values)) {
      const t = d.thresholds[name];
      if (!t) {
        const known = Object.keys(d.thresholds);
        throw new DetectionSettingsError('thresholds', `thresholds.${id}: no threshold "${name}" (${known.length ? `known: ${known.join(', ')}` : 'this detection has none'})`);
      }
      const kind = typeof t.default === 'number' ? 'number' : 'string';
      if (typeof value !== kind || (kind === 'number' && !Number.isFinite(value))) {
        throw new DetectionSettingsError('thresholds', `thresholds.${id}.${name}: value ${JSON.stringify(value)} is not a ${kind} (the default is ${JSON.stringify(t.default)})`);
      }
      if (typeof value !== 'number') continue;
      if (t.min !== undefined && value < t.min) throw new DetectionSettingsError('thresholds', `thresholds.${id}.${name}: value ${value} is below the minimum ${t.min}`);
      if (t.max !== undefined && value > t.max) throw new DetectionSettingsError('thresholds', `thresholds.${id}.${name}: value ${value} is above the maximum ${t.max}`);
    }
  }
  return new Map(
    catalog.map((d) => [d.id, { ...Object.fromEntries(Object.entries(d.thresholds).map(([n, t]) => [n, t.default])), ...(overrides[d.id] ?? {}) }]),
  );
}

/** The detection settings a deployment or a local lake runs with, checked against the catalog. */
export interface DetectionSettings {
  readonly thresholds: Map<string, Record<string, ThresholdValue>>;
  readonly disabled: ReadonlySet<string>;
  /** What each detection leaves out, by id (only detections with something excluded). */
  readonly exclusions: ReadonlyMap<string, DetectionExclusions>;
}

/**
 * Checks configured thresholds and switched-off detection ids against the catalog: one check, and one message,
 * for synth, the Lambdas and the local commands, so a typo fails the same way wherever it is read.
 */
export function detectionSettings(
  catalog: readonly Detection[],
  config: { readonly thresholds?: ThresholdOverrides; readonly disabled?: readonly string[]; readonly exclusions?: ExclusionConfig },
): DetectionSettings {
  const thresholds = resolveThresholds(catalog, config.thresholds);
  const known = new Set(catalog.map((d) => d.id));
  const unknown = (config.disabled ?? []).filter((id) => !known.has(id));
  if (unknown.length) {
    throw new DetectionSettingsError('disabled', `disabled detections: no detection ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${[...known].join(', ')})`);
  }
  let exclusions: Map<string, DetectionExclusions>;
  try {
    exclusions = resolveExclusions([...known], config.exclusions);
  } catch (e) {
    if (e instanceof ExclusionError) throw new DetectionSettingsError('exclusions', e.message);
    throw e;
  }
  return { thresholds, disabled: new Set(config.disabled ?? []), exclusions };
}

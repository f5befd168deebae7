/**
 * The message of the near-time cascade: a finding about a user made refresh-user re-read the user (their events, and
 * with the inventory on, their factors, devices and admin roles) and re-run their daily and posture checks. People
 * get ONE message about the identity, not one per check: the finding that triggered the refresh, then every check the
 * user fails now (the new ones marked, with their runbooks), then what was re-read from Okta. The same story the CLI
 * tells with core/cascade.ts; here the trigger comes from the finding event's detail, not from the lake.
 *
 * Sent whenever a finding escalated and the user fails any check, new or already notified (the analyst reads the
 * finding with everything else wrong with the identity), and when a refresh asked for directly found something new;
 * the ledger still records the new findings once the message went out. A re-delivered escalation (an SQS retry after
 * a failure) tells the story again: at least once.
 */
import { compareSeverities, type Finding } from '../core/findings.ts';
import { identityLine, type IdentityContext } from '../core/identity-context.ts';
import type { InventorySummary } from '../core/inventory-collect.ts';
import { snsSubject } from './sns-text.ts';

/** The finding whose event started the refresh, as its EventBridge detail carries it (fields may be missing). */
export interface CascadeTrigger {
  readonly finding_id?: string;
  readonly detection?: string;
  readonly title?: string;
  readonly severity?: string;
  readonly summary?: string;
  readonly window_start?: string;
  readonly window_end?: string;
  readonly run?: string;
  readonly entity?: { readonly type?: string; readonly id?: string };
}

export interface CascadeNotice {
  /** The user as the lake knows them: login and Okta id (the login as given when the lake has none). */
  readonly user: { readonly login: string; readonly id: string | null };
  /** The day refreshed, `YYYY-MM-DD`. */
  readonly day: string;
  /** The refresh's run (`refresh-<hash>`). */
  readonly run: string | null;
  /** The finding that escalated; undefined for a refresh asked for directly. */
  readonly trigger: CascadeTrigger | undefined;
  /** Every check the user fails now (the refresh's findings), most severe first. */
  readonly findings: readonly Finding[];
  /** Those not notified before: announced on the event bus one by one, and marked NEW here. */
  readonly newFindings: readonly Finding[];
  /** What was re-read from Okta about the user, or why nothing was. */
  readonly inventory: InventorySummary | { readonly notRead: string };
}

/** The most severe of the trigger and the failing checks (what the message's severity attribute and subject say). */
export function cascadeSeverity(notice: CascadeNotice): string {
  const all = [...notice.findings.map((f) => f.severity as string), ...(notice.trigger?.severity ? [notice.trigger.severity] : [])];
  return all.sort(compareSeverities)[0] ?? 'INFO';
}

/** `[HIGH] alice@example.com: 3 failing checks (1 new) after Brute force against one user`, cut to SNS's limit. */
export function cascadeSubject(notice: CascadeNotice): string {
  const fresh = notice.newFindings.length;
  const after = notice.trigger ? ` after ${notice.trigger.title || notice.trigger.detection || 'a finding'}` : '';
  return snsSubject(`[${cascadeSeverity(notice)}] ${notice.user.login}: ${notice.findings.length} failing checks (${fresh} new)${after}`);
}

const indent = (text: string, by = '    ') =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => `${by}${l}`);

/**
 * The e-mail body: who (with their identity line from the inventory when known: core/identity-context.ts), what
 * started it, every failing check (new ones marked), what was re-read, what to do.
 */
export function cascadeMessage(
  notice: CascadeNotice,
  runbookFor: (detectionId: string) => string | undefined = () => undefined,
  identity?: IdentityContext,
): string {
  const newIds = new Set(notice.newFindings.map((f) => f.finding_id));
  const t = notice.trigger;
  const lines = [
    `Identity review: ${notice.user.login}${notice.user.id ? ` (${notice.user.id})` : ''}`,
    ...(identity ? [`Identity: ${identityLine(identity, notice.day)}`] : []),
    '',
    t
      ? 'A finding about this user made the lake re-read them now and re-run their checks.'
      : 'A refresh of this user was asked for directly; the lake re-read them now and re-ran their checks.',
    `Day: ${notice.day}${notice.run ? `   Refresh run: ${notice.run}` : ''}`,
    '',
  ];
  if (t) {
    lines.push(
      'Triggering finding:',
      `  ${t.severity ?? '?'}: ${t.title || t.detection || '(untitled)'}${t.detection ? ` (${t.detection})` : ''}`,
      ...(t.summary ? indent(t.summary, '  ') : []),
      ...(t.window_start ? [`  Window:     ${t.window_start} to ${t.window_end ?? '?'}`] : []),
      ...(t.finding_id ? [`  Finding id: ${t.finding_id}${t.run ? ` (run ${t.run})` : ''}`] : []),
      '',
    );
  }
  lines.push(`Failing checks now: ${notice.findings.length} (${notice.newFindings.length} new)`);
  for (const f of notice.findings) {
    lines.push(
      '',
      `  ${newIds.has(f.finding_id) ? '[NEW] ' : ''}${f.severity}: ${f.title || f.detection} (${f.detection})${f.finding_id === t?.finding_id ? ', the triggering finding' : ''}`,
      ...indent(f.summary),
      `    Window:     ${f.window_start} to ${f.window_end}`,
      `    Finding id: ${f.finding_id} (findings table, dt=${f.dt}, run=${f.run})`,
    );
  }
  lines.push('', ...inventoryLines(notice.inventory));
  const runbooks = [...new Set(notice.newFindings.map((f) => f.detection))];
  for (const detection of runbooks) {
    const runbook = runbookFor(detection);
    lines.push('', `Runbook of ${detection} (detections/${detection}/detection.yaml):`, ...(runbook ? indent(runbook, '  ') : ['  see the detection folder']));
  }
  return lines.join('\n');
}

function inventoryLines(inventory: CascadeNotice['inventory']): string[] {
  if ('notRead' in inventory) return [`Identity: not re-read from Okta (${inventory.notRead}); the checks read the last inventory collected.`];
  const skipped = inventory.skipped.map((s) => `  not read: ${s.part} (${s.reason})`);
  return [
    `Identity re-read from Okta (${inventory.source}, inventory batch ${inventory.batch}): ${inventory.factors} factor(s), ${inventory.devices} device(s), ${inventory.roles} admin role(s)`,
    ...skipped,
  ];
}

/**
 * The near-time cascade, as one story about one identity: a new hourly finding about a user, and everything else
 * the user's refresh found wrong with them at once (their failing posture checks and daily checks). The CLI's
 * `detect`, the demo and the AWS escalation all tell it this way, so an analyst reads "jane was sprayed, and her
 * only factor is SMS" in one place instead of in separate messages a day apart.
 */
import type { Finding } from './findings.ts';

export interface Cascade {
  /** The user, as the triggering finding names them. */
  readonly user: string;
  /** The hourly finding that started it. */
  readonly trigger: Finding;
  /** The user's other failing checks now, most severe first (the trigger's own detection left out). */
  readonly failing: readonly Finding[];
  /** Ids among `failing` that were not notified before (the rest were already known, and are repeated for context). */
  readonly newIds: ReadonlySet<string>;
}

export function cascadeOf(trigger: Finding, refreshFindings: readonly Finding[], refreshNew: readonly Finding[]): Cascade {
  const failing = refreshFindings.filter((f) => f.finding_id !== trigger.finding_id);
  return { user: trigger.entity.id, trigger, failing, newIds: new Set(refreshNew.map((f) => f.finding_id)) };
}

/**
 * The cascade for people: the trigger, then each failing check of the user, `(new)` where it was not notified
 * before. With `width` (a terminal's columns), lines longer than it end in `…`; without, they are whole.
 */
export function cascadeLines(c: Cascade, width?: number): string[] {
  const lines = storyLines(c);
  return width === undefined ? lines : lines.map((l) => (l.length <= width ? l : `${l.slice(0, Math.max(1, width - 1))}…`));
}

function storyLines(c: Cascade): string[] {
  const lines = [`${c.user}: ${c.trigger.severity} ${c.trigger.detection}: ${c.trigger.summary}`];
  if (c.failing.length === 0) {
    lines.push('  nothing else is failing for this identity');
    return lines;
  }
  lines.push(`  also failing for this identity (${c.failing.length}):`);
  for (const f of c.failing) lines.push(`  - ${f.severity} ${f.detection}${c.newIds.has(f.finding_id) ? ' (new)' : ''}: ${f.summary}`);
  return lines;
}

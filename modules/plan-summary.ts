/**
 * A short account of what a synthesized plan declares, printed after `npm run synth` so a reviewer in a
 * pipeline sees the shape of the change (resources by type, where Okta's events come from, when the runs run,
 * who gets mail) without reading the whole JSON. Read from the plan itself, like the policy rules.
 */
import { resourcesOf, type Attrs, type Plan } from './policy/plan.ts';

/** `${aws_sns_topic.findings_topic_XXXX.arn}` -> the topic resource's `name`, when the reference names one. */
function referencedName(plan: Plan, reference: unknown): string {
  const m = typeof reference === 'string' ? /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$/.exec(reference) : null;
  const attrs: Attrs | undefined = m ? plan.resource?.[m[1]!]?.[m[2]!] : undefined;
  return attrs && typeof attrs.name === 'string' ? attrs.name : String(reference);
}

const outputValue = (plan: Plan, name: string): string | undefined => {
  const output = (plan.output as Record<string, { value?: unknown }> | undefined)?.[name];
  return typeof output?.value === 'string' ? output.value : undefined;
};

export function planSummary(plan: Plan, stackName: string): string[] {
  const counts = Object.entries(plan.resource ?? {})
    .map(([type, byName]) => [type, Object.keys(byName).length] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  const total = counts.reduce((n, [, c]) => n + c, 0);
  const lines = [`stack ${stackName}: ${total} resources`];
  const width = Math.max(...counts.map(([type]) => type.length));
  for (const [type, count] of counts) lines.push(`  ${type.padEnd(width)}  ${count}`);

  const source = outputValue(plan, 'partner_event_source');
  if (source) lines.push(`Okta events arrive from the partner event source ${source}`);

  const schedules = resourcesOf(plan, 'aws_scheduler_schedule');
  if (schedules.length > 0) {
    lines.push('schedules (UTC):');
    for (const s of schedules) lines.push(`  ${String(s.attrs.name)}  ${String(s.attrs.schedule_expression)}  ${String(s.attrs.state ?? 'ENABLED')}`);
  }

  const mails = resourcesOf(plan, 'aws_sns_topic_subscription').filter((s) => s.attrs.protocol === 'email');
  lines.push(mails.length > 0 ? 'e-mail subscriptions (each address confirms once):' : 'e-mail subscriptions: none');
  for (const m of mails) lines.push(`  ${referencedName(plan, m.attrs.topic_arn)}  ${String(m.attrs.endpoint)}`);
  return lines;
}

/**
 * How the CLI lays out a table: whole when stdout is not a terminal (a pipe or a file loses nothing),
 * fitted to the terminal's width when it is, the widest columns narrowed first.
 */
import { describe, expect, it } from 'vitest';
import { table } from '../../cli/output.ts';

const rows = [
  { severity: 'MEDIUM', detection: 'okta-brute-force-user', summary: `25 failed sign-ins for ${'x'.repeat(80)}@example.com from 1 IP(s)` },
  { severity: 'HIGH', detection: 'okta-password-spray', summary: 'short' },
];

describe('table', () => {
  it('cuts nothing without a width', () => {
    const lines = table(rows);
    expect(lines[2]).toContain(rows[0]!.summary);
    expect(lines.join('\n')).not.toContain('…');
  });

  it('cuts nothing when the terminal is wide enough', () => {
    const lines = table(rows, { width: 300 });
    expect(lines[2]).toContain(rows[0]!.summary);
  });

  it('fits a narrow terminal by narrowing the widest column, with an ellipsis', () => {
    const lines = table(rows, { width: 80 });
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[2]).toMatch(/^MEDIUM {4}okta-brute-force-user {2}25 failed sign-ins for x+…$/);
    expect(lines[3]).toBe('HIGH      okta-password-spray    short');
  });

  it('keeps columns readable on a terminal too narrow for them', () => {
    const lines = table(rows, { width: 20 });
    expect(lines[0]).toBe('severity  detecti…  summary');
  });
});

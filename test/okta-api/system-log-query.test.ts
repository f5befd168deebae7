/** A System Log query is checked against Okta's rules before it is sent, and each refusal names the parameter and the rule. */
import { describe, expect, it } from 'vitest';
import { OktaConfigError, systemLogQueryParams, type SystemLogQuery } from '../../okta-api/index.ts';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const DAY = 86_400_000;

function refusal(query: SystemLogQuery): OktaConfigError {
  try {
    systemLogQueryParams(query, NOW);
  } catch (error) {
    if (error instanceof OktaConfigError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('System Log query validation', () => {
  it('sends ascending pages of 1000 by default, with times in ISO 8601', () => {
    expect(systemLogQueryParams({ since: new Date(NOW - DAY), until: '2026-11-25T11:00:00+01:00' }, NOW)).toEqual({
      since: '2026-11-24T12:00:00.000Z',
      until: '2026-11-25T10:00:00.000Z',
      limit: '1000',
      sortOrder: 'ASCENDING',
    });
  });

  it('keeps a filter, keywords and an after cursor', () => {
    const params = systemLogQueryParams({ after: '1627500044000_1', until: '2026-11-25T00:00:00Z', filter: 'actor.id eq "00u1" or target.id eq "00u1"', q: 'Amsterdam', limit: 50 }, NOW);
    expect(params).toMatchObject({ after: '1627500044000_1', filter: 'actor.id eq "00u1" or target.id eq "00u1"', q: 'Amsterdam', limit: '50' });
    expect(params).not.toHaveProperty('since');
  });

  it('refuses a since that is not before until', () => {
    const error = refusal({ since: '2026-11-25T10:00:00Z', until: '2026-11-25T09:00:00Z' });
    expect(error.setting).toBe('since');
    expect(error.message).toBe('since 2026-11-25T10:00:00.000Z is not before until 2026-11-25T09:00:00.000Z; give a since earlier than until.');
  });

  it('refuses a since more than 180 days ago, and says how far back Okta keeps events', () => {
    const error = refusal({ since: new Date(NOW - 181 * DAY) });
    expect(error.message).toMatch(/is more than 180 days ago, which Okta refuses \(and it keeps only 90 days of events\); give a since after 2026-08-27T12:00:00.000Z/);
  });

  it('accepts a since 179 days ago (Okta answers, without the events past its 90-day retention)', () => {
    expect(systemLogQueryParams({ since: new Date(NOW - 179 * DAY) }, NOW).since).toBeDefined();
  });

  it.each([0, 1001, 2.5, Number.NaN])('refuses limit %s', (limit) => {
    const error = refusal({ limit });
    expect(error.setting).toBe('limit');
    expect(error.message).toMatch(/must be a whole number from 1 to 1000 \(Okta returns at most 1000 events a page\)/);
  });

  it.each<[SystemLogQuery, string, RegExp]>([
    [{ since: '2026-11-24T00:00:00Z', after: 'abc' }, 'after', /since and after cannot be combined/],
    [{ since: 'yesterday' }, 'since', /since "yesterday" is not an ISO 8601 date-time like 2026-11-25T00:00:00Z/],
    [{ until: '2026-13-45T99:00:00Z' }, 'until', /is not an ISO 8601 date-time/],
    [{ filter: 'published gt "2026-11-01T00:00:00Z"' }, 'filter', /filter cannot use published/],
    [{ q: 'x'.repeat(41) }, 'q', /keyword longer than 40 characters/],
    [{ sortOrder: 'UP' as 'ASCENDING' }, 'sortOrder', /must be ASCENDING or DESCENDING/],
    [{ after: 'has spaces in it' }, 'after', /is not an Okta cursor/],
  ])('refuses %j naming %s', (query, setting, message) => {
    const error = refusal(query);
    expect(error.setting).toBe(setting);
    expect(error.message).toMatch(message);
  });
});

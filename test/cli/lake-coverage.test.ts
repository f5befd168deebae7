/** What the local commands say about requested hours the lake holds no events for. */
import { describe, expect, it } from 'vitest';
import { emptyHoursNotice } from '../../cli/lake-coverage.ts';
import { addHours, type Hour } from '../../schema/layout.ts';

const start: Hour = { dt: '2026-11-24', hour: '22' };
const hours = (...offsets: number[]) => offsets.map((n) => addHours(start, n));

describe('emptyHoursNotice', () => {
  it('names runs of empty hours, across midnight', () => {
    expect(emptyHoursNotice(hours(0, 1, 2, 5), 10)).toBe('4 of 10 hour(s) have no events in the lake: 2026-11-24T22 .. 2026-11-25T00, 2026-11-25T03');
  });

  it('counts the runs past the sixth instead of naming them all', () => {
    const notice = emptyHoursNotice(hours(0, 2, 4, 6, 8, 10, 12, 14), 384);
    expect(notice).toMatch(/^8 of 384 hour\(s\) have no events in the lake: (\d{4}-\d{2}-\d{2}T\d{2}, ){5}\d{4}-\d{2}-\d{2}T\d{2}, and 2 more stretch\(es\)$/);
  });
});

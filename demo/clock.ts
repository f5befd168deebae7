/**
 * Time arithmetic for the demo generator. Every event time is epoch milliseconds; a user's day is laid out
 * in their own local hours and turned into UTC here, so an office in UTC-8 and one in UTC+1 both start
 * work around 8 a.m. their time. Kept apart so the normal day, the attacks and the day composer agree on
 * one definition of "the start of a day".
 */

export const HOUR = 3_600_000;
export const MIN = 60_000;
export const SEC = 1_000;

export const dayStartMs = (day: string): number => Date.parse(`${day}T00:00:00.000Z`);

/** Milliseconds of `hoursLocal` o'clock on `localDay` for a place `offset` hours from UTC. */
export const localMs = (localDay: string, hoursLocal: number, offset: number): number => dayStartMs(localDay) + (hoursLocal - offset) * HOUR;

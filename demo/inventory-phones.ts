/**
 * Phone numbers for the demo inventory's SMS factors, all from the ranges reserved for fiction, and the ways people
 * write them.
 */
import type { Place } from './org.ts';
import type { Rng } from './prng.ts';

/** US and Canadian area codes by city; 555-0100 to 555-0199 in each is reserved for fiction. */
const AREA_CODES: Readonly<Record<string, readonly string[]>> = {
  Boston: ['617', '857', '781'],
  'New York': ['212', '646', '718'],
  Austin: ['512', '737'],
  Chicago: ['312', '872', '773'],
  Denver: ['303', '720'],
  'San Francisco': ['415', '628'],
  Seattle: ['206', '425'],
  Toronto: ['416', '647'],
};
/** Any other North American user, when their city's numbers run out. */
const SPARE_AREA_CODES = ['202', '305', '404', '602', '612', '702', '801', '916'];

/** A phone number as digits with its country code: `16175550142`, or `447700900123` (Ofcom's drama mobile range). */
export class PhoneBook {
  private readonly used = new Set<string>();

  constructor(private readonly rng: Rng) {}

  /** A number nobody in the org has, near `place`. */
  allocate(place: Place | null): string {
    const nanp = place === null || place.country === 'United States' || place.country === 'Canada';
    if (!nanp) {
      for (let i = 0; i < 5000; i++) {
        const n = `447700900${String(this.rng.int(0, 999)).padStart(3, '0')}`;
        if (this.take(n)) return n;
      }
      throw new Error('no fiction phone number left in +44 7700 900xxx');
    }
    const codes = [...(place ? (AREA_CODES[place.city] ?? []) : []), ...SPARE_AREA_CODES];
    for (const code of codes) {
      for (let i = 0; i < 400; i++) {
        const n = `1${code}55501${String(this.rng.int(0, 99)).padStart(2, '0')}`;
        if (this.take(n)) return n;
      }
    }
    throw new Error('no fiction phone number left');
  }

  private take(n: string): boolean {
    if (this.used.has(n)) return false;
    this.used.add(n);
    return true;
  }
}

/** The ways people write one number; `style` 0 is E.164 as Okta stores a number entered cleanly. */
export function phoneText(digits: string, style: 0 | 1 | 2): string {
  if (style === 0) return `+${digits}`;
  if (digits.startsWith('1')) {
    const [a, b, c] = [digits.slice(1, 4), digits.slice(4, 7), digits.slice(7)];
    return style === 1 ? `+1 ${a}-${b}-${c}` : `+1 (${a}) ${b}-${c}`;
  }
  const [cc, a, b] = [digits.slice(0, 2), digits.slice(2, 6), digits.slice(6)];
  return style === 1 ? `+${cc} ${a} ${b}` : `+${cc} ${a} ${b.slice(0, 3)} ${b.slice(3)}`;
}

/** What SNS takes as a subject, shared by the messages of one finding (aws-notifier.ts) and of a cascade (cascade-message.ts). */

/** SNS subjects must be under 100 characters of printable ASCII, on one line. */
export const MAX_SUBJECT = 99;

/** Printable ASCII on one line: accents dropped (é -> e), anything else outside ASCII becomes `?`. */
export function asciiLine(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e]/gu, '?')
    .trim();
}

/** `text` as a subject: one ASCII line, cut to SNS's limit with `...`. */
export function snsSubject(text: string): string {
  const subject = asciiLine(text);
  return subject.length > MAX_SUBJECT ? `${subject.slice(0, MAX_SUBJECT - 3)}...` : subject;
}

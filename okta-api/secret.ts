/**
 * A credential value that cannot leak by accident. Printing, logging, JSON-serialising or interpolating a
 * `Secret` shows `[redacted]`; only `reveal()` gives the value, and only the code that puts it on the wire
 * calls it. `redact()` is the second line of defence: every message built from text we do not control
 * (Okta error bodies, network error messages) passes through it before it reaches an Error or a log.
 */
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** Pieces shorter than this are not redacted on their own (they would match ordinary words). */
const MIN_PIECE_LENGTH = 12;

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The value itself; call only where it goes on the wire. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspectSymbol](): string {
    return 'Secret([redacted])';
  }
}

/**
 * Replaces each secret in `text`, and each long piece of a multi-part secret (the base64 lines of a PEM key,
 * the members of a JWK), with `[redacted]`.
 */
export function redact(text: string, secrets: Iterable<Secret>): string {
  let out = text;
  for (const secret of secrets) {
    const value = secret.reveal();
    if (!value) continue;
    const pieces = [value, ...value.split(/[\s"',:{}[\]]+/)].filter((p) => p.length >= MIN_PIECE_LENGTH || p === value);
    for (const piece of pieces.sort((a, b) => b.length - a.length)) out = out.replaceAll(piece, '[redacted]');
  }
  return out;
}

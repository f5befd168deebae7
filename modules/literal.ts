/**
 * Terraform reads `${...}` and `%{...}` in every string of the plan as interpolation and template directives.
 * Text that is data to us (SQL, Athena's own `${dt}` placeholders, JSON of user settings) is escaped
 * (`$${`, `%%{`) so Terraform passes it through unchanged. Apply it to the literal text before joining it with
 * any cdktf token (a token is itself a `${...}` and must stay one).
 *
 * (cdktf's `Fn.rawString` is not this: it also rewrites newlines and quotes as `\n` and `\"`, which in the JSON
 * plan would reach AWS as backslashes.)
 */
export const terraformLiteral = (text: string): string => text.replace(/[$%]\{/g, (m) => `${m[0]}${m}`);

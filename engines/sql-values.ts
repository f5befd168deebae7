/**
 * How values travel with a query to an engine.
 *
 * A plain `SqlValue` is bound: DuckDB takes it as a prepared-statement parameter, Athena as an execution
 * parameter. Athena takes execution parameters only in a WHERE clause ("Currently, ? parameters can be placed only
 * in the WHERE clause. Syntax like SELECT ? FROM table is not supported", Athena user guide, "Use parameterized
 * queries"), so a value that a query needs elsewhere (a threshold in HAVING, a window start in the select list, a
 * partition value of an INSERT) travels as an `SqlLiteral`: a value the code generated or validated, with the
 * Trino literal it renders to. Athena writes that literal into the text in place of its `?`; DuckDB still binds
 * the value, so its query text (and its translation) stays the same from run to run.
 *
 * The rule the tests hold every query to: a value from outside (a user id, a login, an IP, a value an analyst
 * typed) is bound and stands in a WHERE clause; only values that pass one of the constructors below become
 * literals. Rendering escapes as Trino reads string literals (a quote is doubled; there are no backslash escapes),
 * so even a literal cannot end its string early.
 */

export type SqlValue = string | number | boolean | null;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,3})?$/;
/** Partition values and catalog ids: the characters S3 prefixes and our ids use. */
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,254}$/;

/** A query's text ready to be nested in another (a subquery, a branch of a union): trailing semicolons and blank space removed. */
export const asSubquery = (sql: string): string => sql.trim().replace(/;+\s*$/, '');

/** A Trino string literal: single quotes, each quote inside doubled. */
export const quoteString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

export class SqlLiteral {
  private constructor(
    /** The value itself, as an engine that binds everything takes it. */
    readonly value: SqlValue,
    /** The Trino literal, as it is written into the query text. */
    readonly sql: string,
  ) {}

  /** A finite number: `20`, `1.5`. */
  static number(n: number): SqlLiteral {
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`SQL literal: ${String(n)} is not a finite number`);
    return new SqlLiteral(n, String(n));
  }

  static boolean(b: boolean): SqlLiteral {
    return new SqlLiteral(b, b ? 'true' : 'false');
  }

  /** SQL NULL (a query casts it to the type it needs). */
  static null(): SqlLiteral {
    return new SqlLiteral(null, 'NULL');
  }

  /** A day, `YYYY-MM-DD`, as text. */
  static date(s: string): SqlLiteral {
    if (!DATE.test(s)) throw new Error(`SQL literal: ${JSON.stringify(s)} is not a date of the form YYYY-MM-DD`);
    return new SqlLiteral(s, quoteString(s));
  }

  /** A UTC timestamp the code generated, `YYYY-MM-DD HH:MM:SS[.sss]`, as text (queries cast it). */
  static timestamp(s: string): SqlLiteral {
    if (!TIMESTAMP.test(s)) throw new Error(`SQL literal: ${JSON.stringify(s)} is not a timestamp of the form YYYY-MM-DD HH:MM:SS.sss`);
    return new SqlLiteral(s, quoteString(s));
  }

  /** A partition value or catalog id: letters, digits and `_ . : -`, starting with a letter or digit. */
  static token(s: string): SqlLiteral {
    if (!TOKEN.test(s) || s.includes('..')) throw new Error(`SQL literal: ${JSON.stringify(s)} is not a plain token (letters, digits, _ . : -)`);
    return new SqlLiteral(s, quoteString(s));
  }

  /**
   * Text from the project's own catalog or the deployment's validated configuration (a detection title, a list
   * threshold such as country names), never from events or a caller: escaped, and refused if it holds control
   * characters other than tab and newline.
   */
  static text(s: string): SqlLiteral {
    if (typeof s !== 'string' || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(s)) throw new Error(`SQL literal: text ${JSON.stringify(s)} holds control characters`);
    return new SqlLiteral(s, quoteString(s));
  }
}

/** A query parameter: bound (a plain value), or a validated literal. */
export type SqlParam = SqlValue | SqlLiteral;

/** The value of a parameter, for an engine that binds everything. */
export const paramValue = (p: SqlParam): SqlValue => (p instanceof SqlLiteral ? p.value : p);

/** One query text with its parameters, in placeholder order. */
export interface SqlQuery {
  readonly sql: string;
  readonly params: readonly SqlParam[];
  /** What the query is, for messages (e.g. the detection id). @default none */
  readonly label?: string;
}

import { describe, expect, it } from 'vitest';
import { bindNamedParams, compileNamedParams } from '../../core/sql-params.ts';

describe('named SQL parameters', () => {
  it('turns :name into ? in order, repeats included', () => {
    const c = compileNamedParams('select * from t where a >= :from and b < :to and c = :from');
    expect(c.text).toBe('select * from t where a >= ? and b < ? and c = ?');
    expect(bindNamedParams(c, { from: 1, to: 2 })).toEqual([1, 2, 1]);
  });

  it('leaves string literals, quoted identifiers, comments and :: casts alone', () => {
    const sql = `select ':not', "a:b", x::int -- :nope\n/* :nor */ from t where y = :yes and z = 'it''s :no'`;
    const c = compileNamedParams(sql);
    expect(c.names).toEqual(['yes']);
    expect(c.text).toBe(`select ':not', "a:b", x::int -- :nope\n/* :nor */ from t where y = ? and z = 'it''s :no'`);
  });

  it('names a missing parameter', () => {
    expect(() => bindNamedParams(compileNamedParams('select :a, :b'), { a: 1 }, 'user-timeline')).toThrow('user-timeline: no value for parameter(s) :b');
  });

  it('rejects an unterminated literal with its offset', () => {
    expect(() => compileNamedParams("select 'abc")).toThrow('unterminated string literal starting at offset 7');
  });
});

import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { trinoToDuckDb } from './engines/duckdb/dialect.ts';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
await c.run(readFileSync('engines/duckdb/trino-compat.sql','utf8'));
const qs = readFileSync(0,'utf8').split('\n;;\n').filter(s=>s.trim());
for (const q of qs) { let d=''; try { d = trinoToDuckDb(q); const r = await c.runAndReadAll(d); console.log(q.trim(), '\n  =>', d, '\n  =>', JSON.stringify(r.getRowObjectsJson())); } catch (e) { console.log(q.trim(), '\n  =>', d, '\n  ERR', String(e).slice(0,300)); } }

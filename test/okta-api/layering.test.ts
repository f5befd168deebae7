/**
 * okta-api/ is a layer below core/: it may import only node built-ins, `jose`, and its own modules, so the CLI and
 * the Lambdas can share it without pulling in the lake, the engines or the AWS SDK.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../okta-api');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('the okta-api layer', () => {
  it('imports only node built-ins, jose and its own modules', () => {
    const offending: string[] = [];
    for (const file of sourceFiles(ROOT)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const specifier = match[1]!;
        const allowed = specifier.startsWith('node:') || specifier === 'jose' || (specifier.startsWith('./') && !specifier.includes('..'));
        if (!allowed) offending.push(`${file.slice(ROOT.length + 1)} imports ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
  });
});

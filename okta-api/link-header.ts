/**
 * Reads `Link` headers (RFC 8288) as Okta sends them: `<https://acme.okta.com/api/v1/logs?...&after=...>; rel="next"`,
 * several links joined by commas (fetch merges repeated headers the same way). Commas inside `<...>` are safe.
 */
export function parseLinkHeader(value: string | null): Map<string, string> {
  const links = new Map<string, string>();
  if (!value) return links;
  for (const match of value.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const url = match[1] ?? '';
    const rel = /;\s*rel\s*=\s*"?([^";,]+)"?/i.exec(match[2] ?? '')?.[1];
    if (!rel) continue;
    for (const name of rel.trim().split(/\s+/)) if (!links.has(name)) links.set(name, url);
  }
  return links;
}

/**
 * Writes the demo inventory as a folder of saved Okta API responses, the layout the lake collects from (the same
 * path a customer's folder of `curl` output takes):
 *
 * ```
 * users.json                 GET /api/v1/users: a JSON array of users, in pages users.json, users-2.json, ...
 * factors/<userId>.json      GET /api/v1/users/{userId}/factors: one per user in users*.json ([] for none)
 * devices.json               GET /api/v1/devices?expand=user, in pages devices.json, devices-2.json, ...
 * role-assignees.json        GET /api/v1/iam/assignees/users: the body, {"value": [...], "_links": {...}}
 * roles/<userId>.json        GET /api/v1/users/{userId}/roles: one per user listed in role-assignees.json
 * ```
 *
 * Each file is the response body exactly as the API returns it (compact JSON, no wrapping).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoInventory } from './inventory.ts';

export interface InventoryFolderOptions {
  /** Items per page of users and devices (Okta's default `limit` is 200 for both). @default 200 */
  readonly pageSize?: number;
}

/** `users.json`, `users-2.json`, ... */
const pageName = (base: string, n: number) => (n === 1 ? `${base}.json` : `${base}-${n}.json`);
const PAGED = /^(users|devices)(-\d+)?\.json$/;

function pages<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length ? out : [[]];
}

/**
 * Writes `inventory` under `dir` (created if missing) and returns the files written, relative to `dir`, sorted.
 * Files of the layout a previous write left there (pages, factors/, roles/, role-assignees.json) are removed
 * first, so a smaller inventory never leaves stale pages behind; anything else in `dir` is left alone.
 */
export function writeInventoryFolder(dir: string, inventory: DemoInventory, options: InventoryFolderOptions = {}): string[] {
  const size = options.pageSize ?? 200;
  if (!Number.isInteger(size) || size < 1) throw new Error(`pageSize: ${size} is not a positive whole number`);
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    if (PAGED.test(name) || name === 'role-assignees.json') rmSync(join(dir, name));
  }
  for (const sub of ['factors', 'roles']) if (existsSync(join(dir, sub))) rmSync(join(dir, sub), { recursive: true });
  mkdirSync(join(dir, 'factors'));
  mkdirSync(join(dir, 'roles'));

  const written: string[] = [];
  const write = (rel: string, body: unknown) => {
    writeFileSync(join(dir, rel), JSON.stringify(body));
    written.push(rel);
  };
  pages(inventory.users, size).forEach((page, k) => write(pageName('users', k + 1), page));
  for (const user of inventory.users) write(`factors/${user.id}.json`, inventory.factors.get(user.id) ?? []);
  pages(inventory.devices, size).forEach((page, k) => write(pageName('devices', k + 1), page));
  write('role-assignees.json', inventory.roleAssignees);
  for (const { id } of inventory.roleAssignees.value) write(`roles/${id}.json`, inventory.roles.get(id) ?? []);
  return written.sort();
}

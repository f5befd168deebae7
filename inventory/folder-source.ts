/**
 * An inventory from a folder of Okta API responses saved as JSON exactly as the API returned them, for offline use
 * (`okta-lake inventory --from FOLDER`), the demo and the posture checks' fixtures. The layout:
 *
 * | file                   | the response of                                   |
 * |------------------------|---------------------------------------------------|
 * | `users.json`           | `GET /api/v1/users`: a JSON array; later pages in `users-2.json`, `users-3.json`, ... |
 * | `factors/<userId>.json`| `GET /api/v1/users/{userId}/factors`: a JSON array |
 * | `devices.json`         | `GET /api/v1/devices?expand=user`: a JSON array (pages `devices-2.json`, ...) |
 * | `role-assignees.json`  | `GET /api/v1/iam/assignees/users`: the body `{"value": [...], "_links": ...}` (pages `role-assignees-2.json`, ...) |
 * | `roles/<userId>.json`  | `GET /api/v1/users/{userId}/roles`: a JSON array   |
 *
 * `users.json` is required. A part whose file or folder is absent (no `factors/`, no `devices.json`, no
 * `role-assignees.json`) was not saved: it is skipped and the summary says so. Within a saved part a missing file
 * is an error naming it (a user without `factors/<id>.json` when `factors/` exists): a half-saved folder must not
 * read as "this user has no MFA".
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { OktaDevice, OktaFactor, OktaRoleAssignee, OktaRoleAssignment, OktaUser } from '../okta-api/identity-objects.ts';
import { PartUnavailable, type InventorySource } from './source.ts';

export class InventoryFolderError extends Error {}

/** `users.json`, `users-2.json`, ... in page order. */
function pageFiles(dir: string, stem: string): string[] {
  const re = new RegExp(`^${stem}(?:-(\\d+))?\\.json$`);
  return readdirSync(dir)
    .map((name) => ({ name, m: re.exec(name) }))
    .filter((f): f is { name: string; m: RegExpExecArray } => f.m !== null)
    .map((f) => ({ name: f.name, page: f.m[1] === undefined ? 1 : Number(f.m[1]) }))
    .sort((a, b) => a.page - b.page)
    .map((f) => join(dir, f.name));
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InventoryFolderError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InventoryFolderError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
}

function readArray<T>(file: string, what: string): T[] {
  const value = readJson(file);
  if (!Array.isArray(value)) throw new InventoryFolderError(`${file}: expected a JSON array (${what}), got ${value === null ? 'null' : typeof value}`);
  value.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new InventoryFolderError(`${file}: item ${i} is not an object`);
  });
  return value as T[];
}

/** A user id used as a file name: Okta ids are letters and digits; anything else cannot name a saved file. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export class FolderInventorySource implements InventorySource {
  readonly description: string;
  #users: OktaUser[] | undefined;
  #assignees: string[] | undefined;
  #assigneeSet: Set<string> | undefined;

  constructor(readonly dir: string) {
    if (!existsSync(dir)) throw new InventoryFolderError(`inventory folder ${dir} does not exist`);
    if (!statSync(dir).isDirectory()) throw new InventoryFolderError(`inventory folder ${dir} is not a folder`);
    if (pageFiles(dir, 'users').length === 0) {
      throw new InventoryFolderError(`inventory folder ${dir} has no users.json (the saved response of GET /api/v1/users)`);
    }
    this.description = `folder ${dir}`;
  }

  #allUsers(): OktaUser[] {
    this.#users ??= pageFiles(this.dir, 'users').flatMap((f) => readArray<OktaUser>(f, 'the users of GET /api/v1/users'));
    return this.#users;
  }

  async *users(): AsyncIterable<OktaUser> {
    yield* this.#allUsers();
  }

  async user(idOrLogin: string): Promise<OktaUser | undefined> {
    const wanted = idOrLogin.toLowerCase();
    return this.#allUsers().find((u) => u.id === idOrLogin || (u.profile?.login ?? '').toLowerCase() === wanted);
  }

  #perUserFile(folder: string, userId: string, part: 'factors' | 'roles', call: string): string {
    const dir = join(this.dir, folder);
    if (!existsSync(dir)) throw new PartUnavailable(part, `${this.dir} has no ${folder}/ folder (the saved responses of ${call})`);
    if (!SAFE_ID.test(userId)) throw new InventoryFolderError(`user id ${JSON.stringify(userId)} cannot name a file under ${dir}`);
    const file = join(dir, `${userId}.json`);
    if (!existsSync(file)) throw new InventoryFolderError(`${file} is missing: ${folder}/ must hold the response of ${call.replace('{id}', userId)} for every user it covers`);
    return file;
  }

  async factorsOf(userId: string): Promise<readonly OktaFactor[]> {
    return readArray<OktaFactor>(this.#perUserFile('factors', userId, 'factors', 'GET /api/v1/users/{id}/factors'), 'factors');
  }

  async rolesOf(userId: string): Promise<readonly OktaRoleAssignment[]> {
    // A user who holds no role is not in role-assignees.json and has no saved roles file: no roles, not a gap.
    if (!existsSync(join(this.dir, 'roles', `${userId}.json`)) && SAFE_ID.test(userId)) {
      this.#assigneeSet ??= new Set(this.#assigneeIds());
      if (!this.#assigneeSet.has(userId)) return [];
    }
    return readArray<OktaRoleAssignment>(this.#perUserFile('roles', userId, 'roles', 'GET /api/v1/users/{id}/roles'), 'role assignments');
  }

  #allDevices(): OktaDevice[] {
    const files = pageFiles(this.dir, 'devices');
    if (files.length === 0) throw new PartUnavailable('devices', `${this.dir} has no devices.json (the saved response of GET /api/v1/devices?expand=user)`);
    return files.flatMap((f) => readArray<OktaDevice>(f, 'the devices of GET /api/v1/devices?expand=user'));
  }

  async *devices(): AsyncIterable<OktaDevice> {
    yield* this.#allDevices();
  }

  async devicesOf(user: OktaUser): Promise<readonly OktaDevice[]> {
    return this.#allDevices()
      .filter((d) => (d._embedded?.users ?? []).some((u) => u?.user?.id === user.id))
      .map((d) => ({ ...d, _embedded: { ...d._embedded, users: (d._embedded?.users ?? []).filter((u) => u?.user?.id === user.id) } }));
  }

  /** The ids of `role-assignees*.json`, read once: rolesOf looks each user up in them. */
  #assigneeIds(): string[] {
    if (this.#assignees) return this.#assignees;
    const files = pageFiles(this.dir, 'role-assignees');
    if (files.length === 0) throw new PartUnavailable('roles', `${this.dir} has no role-assignees.json (the saved response of GET /api/v1/iam/assignees/users)`);
    const ids: string[] = [];
    for (const file of files) {
      const body = readJson(file) as { value?: unknown } | null;
      if (typeof body !== 'object' || body === null || !Array.isArray(body.value)) {
        throw new InventoryFolderError(`${file}: expected the body of GET /api/v1/iam/assignees/users, {"value": [...]}`);
      }
      for (const [i, a] of (body.value as OktaRoleAssignee[]).entries()) {
        if (typeof a?.id !== 'string' || a.id === '') throw new InventoryFolderError(`${file}: value[${i}] has no "id"`);
        ids.push(a.id);
      }
    }
    this.#assignees = ids;
    return ids;
  }

  async *roleAssignees(): AsyncIterable<string> {
    yield* this.#assigneeIds();
  }
}

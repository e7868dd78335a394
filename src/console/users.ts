/**
 * Console accounts, managed by admins: create, change role/name/skills/capacity/WeCom id, reset a password.
 * A reset ends every session of that person; the last admin cannot be demoted.
 */
import { z } from 'zod';
import { CASE_CATEGORIES, CHANNELS } from '../core/types.js';
import { badRequest, conflict, notFound } from '../core/errors.js';
import { requestAssignment } from '../handoff/assign.js';
import type { Services } from '../services.js';
import type { ConsoleUser, ConsoleUserPatch } from '../store/types.js';
import { normalizeUsername } from './login.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { destroyUserSessions } from './sessions.js';

export const ROLES: readonly ConsoleUser['role'][] = ['agent', 'supervisor', 'admin', 'manager'];

const SKILLS = [...CHANNELS, ...CASE_CATEGORIES] as [string, ...string[]];
const password = z.string().max(200);
const fields = {
  displayName: z.string().trim().min(1).max(40),
  role: z.enum(ROLES as [ConsoleUser['role'], ...ConsoleUser['role'][]]),
  skills: z.array(z.enum(SKILLS)).max(SKILLS.length),
  capacity: z.number().int().min(0).max(200),
  wecomUserId: z.string().trim().regex(/^[\w.@-]{1,64}$/, 'must be a WeCom userid').nullable(),
  online: z.boolean(),
};

export const newUserSchema = z
  .object({
    username: z.string().trim().regex(/^[A-Za-z0-9_.-]{2,32}$/, 'must be 2-32 letters, digits, _ . or -'),
    password,
    ...fields,
  })
  .partial({ skills: true, capacity: true, wecomUserId: true, online: true })
  .strict();

export const userPatchSchema = z
  .object({ ...fields, password })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');

/** 400 `weak_password` for a password under 10 characters or on the common-passwords list; nothing is changed. */
async function assertPassword(password: string): Promise<void> {
  const problem = await passwordProblem(password);
  if (problem) throw badRequest('weak_password', `password ${problem}`);
}

export async function createConsoleUser(s: Services, input: z.infer<typeof newUserSchema>): Promise<ConsoleUser> {
  const username = normalizeUsername(input.username);
  if (await s.store.getUserByName(username)) throw conflict('username_taken', `user ${username} already exists`);
  await assertPassword(input.password);
  try {
    const user = await s.store.createUser({
      username,
      displayName: input.displayName,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      ...(input.skills ? { skills: input.skills } : {}),
      ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
      ...(input.wecomUserId !== undefined ? { wecomUserId: input.wecomUserId } : {}),
      ...(input.online !== undefined ? { online: input.online } : {}),
    });
    if (user.online) await requestAssignment(s, 'agent added');
    return user;
  } catch (err) {
    if (await s.store.getUserByName(username)) throw conflict('username_taken', `user ${username} already exists`);
    throw err;
  }
}

export async function patchConsoleUser(s: Services, id: string, input: z.infer<typeof userPatchSchema>, byUserId: string | null): Promise<ConsoleUser> {
  const current = await s.store.getUser(id);
  if (!current) throw notFound('user_not_found', `user ${id} not found`);
  if (input.role && input.role !== 'admin' && current.role === 'admin') {
    const admins = (await s.store.listUsers()).filter((u) => u.role === 'admin');
    if (admins.length <= 1) throw conflict('last_admin', 'the last admin cannot lose the admin role');
  }
  const { password: newPassword, ...rest } = input;
  if (newPassword !== undefined) await assertPassword(newPassword);
  const patch: ConsoleUserPatch = { ...rest, ...(newPassword ? { passwordHash: await hashPassword(newPassword) } : {}) };
  const updated = await s.store.updateUser(id, patch);
  if (!updated) throw notFound('user_not_found', `user ${id} not found`);
  // A new password ends every session of that person, wherever they are signed in.
  if (newPassword) await destroyUserSessions(s, id);
  if (input.online || input.capacity !== undefined || input.skills) await requestAssignment(s, 'agent changed');
  s.log.info({ component: 'console', userId: id, by: byUserId, fields: Object.keys(input) }, 'console user changed');
  return updated;
}

/** The console account `admin`, created at first start with ADMIN_PASSWORD or a generated password shown once. */
import type { Config } from '../../config/load-config.js';
import type { Store } from '../store/types.js';
import { generatePassword, hashPassword } from './passwords.js';

export async function ensureAdmin(store: Store, config: Pick<Config, 'adminPassword'>): Promise<{ created: boolean; generated: string | null }> {
  if (await store.getUserByName('admin')) return { created: false, generated: null };
  const generated = config.adminPassword ? null : generatePassword();
  const password = config.adminPassword ?? (generated as string);
  try {
    await store.createUser({ username: 'admin', displayName: '管理员', role: 'admin', passwordHash: await hashPassword(password) });
  } catch (err) {
    // Another process created it at the same moment: theirs stands.
    if (await store.getUserByName('admin')) return { created: false, generated: null };
    throw err;
  }
  return { created: true, generated };
}

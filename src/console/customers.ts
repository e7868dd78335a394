/** Supervisors set a customer's member level; only levels config/policies.json defines (or none) are accepted. */
import { badRequest, notFound } from '../core/errors.js';
import type { Services } from '../services.js';
import type { Customer } from '../store/types.js';

export function memberLevels(s: Pick<Services, 'data'>): string[] {
  return Object.keys(s.data.policies.members.levels);
}

export async function setMemberLevel(s: Services, customerRowId: string, level: string | null, by: string): Promise<Customer> {
  const normalized = level === null ? null : level.trim().toLowerCase();
  const levels = memberLevels(s);
  if (normalized !== null && !levels.includes(normalized)) {
    throw badRequest('invalid_member_level', `memberLevel must be one of ${levels.join(', ')} or null`);
  }
  const updated = await s.store.updateCustomer(customerRowId, { memberLevel: normalized });
  if (!updated) throw notFound('customer_not_found', `customer ${customerRowId} not found`);
  s.log.info({ component: 'console', customerRowId, memberLevel: normalized, by }, 'member level set');
  return updated;
}

/** Every conversation of the dialogue evaluation, grouped by the issue #15 items they exercise. */
import type { EvalConversation } from '../types.js';
import { INTAKE } from './intake.js';
import { QUESTIONS } from './questions.js';
import { SAFETY } from './safety.js';
import { WISHES } from './wishes.js';

export const CONVERSATIONS: EvalConversation[] = [...INTAKE, ...WISHES, ...QUESTIONS, ...SAFETY];

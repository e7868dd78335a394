/** The short case reference customers and agents both see (the same one the bot quotes). */
export { caseRef } from '../dialogue/answers.js';

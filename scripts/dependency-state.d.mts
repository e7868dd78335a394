/** Types for dependency-state.mjs (plain JavaScript because it runs before dependencies are installed). */
export function dependencyState(root: string): { ok: true; reason?: undefined } | { ok: false; reason: string };

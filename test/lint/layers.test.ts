/**
 * The layering rules of eslint.config.js fire: `npm run lint` rejects an import that points the wrong way.
 * Linted as text under a path inside the tree, with the project's own configuration.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

const eslint = new ESLint({ cwd: projectRoot });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering', () => {
  it('keeps Koa out of src/', async () => {
    expect(await restricted('src/console/example.ts', "import type Koa from 'koa';\nexport type X = Koa.Context;\n")).toHaveLength(1);
    expect(await restricted('handlers/http/example.ts', "import type Koa from 'koa';\nexport type X = Koa.Context;\n")).toEqual([]);
  });

  it('keeps src/ from importing handlers/, except in the composition roots', async () => {
    const code = "import { wecomRoutes } from '../../handlers/http/wecom.js';\nexport const r = wecomRoutes;\n";
    expect(await restricted('src/dialogue/example.ts', code)).toHaveLength(1);
    expect(await restricted('src/app.ts', "import { wecomRoutes } from '../handlers/http/wecom.js';\nexport const r = wecomRoutes;\n")).toEqual([]);
  });

  it('keeps the pipeline, channels, store and NLU from importing features', async () => {
    const code = "import { escalate } from '../cases/escalate.js';\nexport const e = escalate;\n";
    expect((await restricted('src/pipeline/example.ts', code))[0]).toMatch(/lower layer/);
    expect(await restricted('src/channels/wecom/example.ts', "import { raiseAlert } from '../../alerts/index.js';\nexport const a = raiseAlert;\n")).toHaveLength(1);
    expect(await restricted('src/handoff/example.ts', code)).toEqual([]);
  });

  it('keeps core/ pure', async () => {
    expect(await restricted('src/core/example.ts', "import type { Store } from '../store/types.js';\nexport type S = Store;\n")).toHaveLength(1);
    expect(await restricted('src/core/example.ts', "import type { Case } from './types.js';\nexport type C = Case;\n")).toEqual([]);
  });
});

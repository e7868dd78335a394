/** Runs the real application as a separate Node process (for crash and restart tests). */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface AppProcess {
  url: string | null;
  child: ChildProcess;
  output(): string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export async function spawnApp(env: Record<string, string>, role: 'all' | 'web' | 'worker'): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts'), `--role=${role}`], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string | null>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app (${role}) did not start in 30 s:\n${out}`)), 30_000);
    const check = (): void => {
      const m = /is running: (http:\/\/\S+)/.exec(out);
      if (m?.[1]) finish(m[1]);
      else if (/worker is running/.test(out)) finish(null);
    };
    const finish = (u: string | null): void => {
      clearTimeout(timer);
      child.stderr?.off('data', check);
      resolve(u);
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app (${role}) exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    kill: (signal) =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

/**
 * `npm run seed:demo [-- --cases=2000 --days=90]`: fills the configured store (DATA_DIR, or STORE=mongo) with a
 * livestream shop's last 90 days — buyers on three channels, ~2,000 after-sales cases with their messages and
 * history, CSAT, reopenings, SLA breaches, showcase reviews and a visible spike this week — plus console
 * users whose passwords are printed once. A store seeded before is left alone; a store holding real cases is
 * refused unless `--force` is given, so demo data never mixes into a shop's numbers by accident.
 */
import { loadConfig, ConfigError, siteUrl, type Config } from '../config/load-config.js';
import { DEMO_SPIKES, generateDemo } from '../src/analytics/demo-data.js';
import { DEMO_MARKER, writeDemo } from '../src/analytics/demo-seed.js';
import { generatePassword, hashPassword } from '../src/console/passwords.js';
import { createStore } from '../src/store/create-store.js';
import type { Role, Store } from '../src/store/types.js';

const USERS: { username: string; displayName: string; role: Role }[] = [
  { username: 'manager', displayName: '社群经理 林悦', role: 'manager' },
  { username: 'supervisor', displayName: '客服主管 周宁', role: 'supervisor' },
  { username: 'agent1', displayName: '客服 小秋', role: 'agent' },
  { username: 'agent2', displayName: '客服 阿杰', role: 'agent' },
  { username: 'agent3', displayName: '客服 小美', role: 'agent' },
];

const say = (line: string): void => {
  process.stderr.write(`[seed] ${line}\n`);
};

function option(name: string, fallback: number, min: number, max: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (!arg) return fallback;
  const n = Number(arg.slice(name.length + 3));
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max}`);
    process.exit(1);
  }
  return n;
}

async function ensureUsers(store: Store): Promise<{ ids: string[]; created: { username: string; password: string; role: Role }[] }> {
  const created: { username: string; password: string; role: Role }[] = [];
  const ids: string[] = [];
  for (const u of USERS) {
    let user = await store.getUserByName(u.username);
    if (user) say(`console user "${u.username}" exists; its password is unchanged`);
    else {
      const password = generatePassword();
      user = await store.createUser({ ...u, passwordHash: await hashPassword(password) });
      created.push({ username: u.username, password, role: u.role });
    }
    if (u.role === 'agent') ids.push(user.id);
  }
  return { ids, created };
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const cases = option('cases', 2000, 50, 200_000);
  const days = option('days', 90, 14, 365);
  const force = process.argv.includes('--force');
  const store = createStore(config);
  await store.init();
  const where = config.store === 'mongo' ? 'MongoDB (MONGODB_URI)' : `SQLite under ${config.dataDir}`;
  try {
    const seededAt = await store.getSetting(DEMO_MARKER);
    if (seededAt) {
      say(`this store already holds the demo data (written ${seededAt}); nothing to do.`);
      say('To start over, point DATA_DIR at an empty folder (or drop the MongoDB database) and run it again.');
      say(nextStep(config));
      return;
    }
    if ((await store.listCases({ limit: 1 })).items.length > 0 && !force) {
      console.error(`[seed] refusing: ${where} already holds real cases, and demo cases would mix into its numbers.`);
      console.error('[seed] Use an empty DATA_DIR for the demo, or pass --force if you really want them together.');
      process.exitCode = 1;
      return;
    }
    say(`seeding ${where}: about ${cases} cases over ${days} days…`);
    const users = await ensureUsers(store);
    const now = Date.now();
    const plan = generateDemo({ now, cases, days, agents: users.ids });
    let last = '';
    const written = await writeDemo(store, plan, {
      progress: (step, done, total) => {
        const line = `${step} ${done}/${total}`;
        if (line !== last) say(line);
        last = line;
      },
    });
    await store.setSetting(DEMO_MARKER, new Date(now).toISOString());
    const showcase = written.filter((c) => c.data.showcase).length;
    say(
      `done: ${written.length} cases, ${plan.customers.length} buyers, ${showcase} showcase reviews; ` +
        `this week's spike: product ${DEMO_SPIKES.product} and carrier ${DEMO_SPIKES.carrier}.`,
    );
    if (users.created.length > 0) {
      console.log('Console users created (passwords are shown only now):');
      for (const u of users.created) console.log(`  ${u.username.padEnd(10)} ${u.role.padEnd(10)} ${u.password}`);
    }
    console.log(nextStep(config));
  } finally {
    await store.close();
  }
}

/** Where the dashboard will be: the same host and port `npm start` listens on (PORT, HOST from the environment or .env). */
function nextStep(config: Pick<Config, 'host' | 'port'>): string {
  const where = config.port === 0 ? 'the address `npm start` prints (PORT=0 picks a free port)' : `${siteUrl(config, config.port)}/console/dashboard`;
  return `Run \`npm start\`, then open ${where} and sign in as "manager".`;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});

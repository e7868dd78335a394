/** config/care.json: the shipped file is valid, and a mistake is one line naming the field. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCareConfig, parseCareConfig } from '../../src/care/config.js';
import { projectRoot } from '../../src/paths.js';

const shipped = JSON.parse(fs.readFileSync(path.join(projectRoot, 'config/care.json'), 'utf8')) as { logistics: Record<string, unknown>; surge: Record<string, unknown> };

describe('config/care.json', () => {
  it('ships the documented defaults: 72 h without an update, 10 parcels a day per carrier, 3× the usual rate', () => {
    expect(loadCareConfig()).toMatchObject({
      logistics: { enabled: true, staleHours: 72, incidentWindowHours: 24, incidentMinParcels: 10 },
      surge: { enabled: true, multiple: 3, minPerMinute: 10, trailingMinutes: 30, quietMinutes: 5 },
    });
  });

  it.each([
    [{ ...shipped, logistics: { ...shipped.logistics, staleHours: 0 } }, /^config\/care\.json: logistics\.staleHours: /],
    [{ ...shipped, logistics: { ...shipped.logistics, incidentMinParcels: 1 } }, /^config\/care\.json: logistics\.incidentMinParcels: /],
    [{ ...shipped, surge: { ...shipped.surge, multiple: 1 } }, /^config\/care\.json: surge\.multiple: /],
    [{ ...shipped, surge: { ...shipped.surge, quietMinute: 5 } }, /^config\/care\.json: surge: .*quietMinute/],
    [{ ...shipped, schemaVersion: 2 }, /^config\/care\.json: schemaVersion: /],
  ])('refuses %j with one line naming the field', (raw, message) => {
    expect(() => parseCareConfig(raw)).toThrow(message);
  });
});

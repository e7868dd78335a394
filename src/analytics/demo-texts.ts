/** The words of the demo data (products, complaints, praise), kept in templates/console/dashboard-demo.zh-CN.json. */
import fs from 'node:fs';
import path from 'node:path';
import type { CaseCategory } from '../core/types.js';
import { projectRoot } from '../paths.js';

export interface Product {
  name: string;
  weight: number;
  defects: string[];
}

export interface DemoText {
  products: Product[];
  nicknames: string[];
  complaints: Record<CaseCategory, string[]>;
  cupLeak: string[];
  orderLines: string[];
  praise: string[];
}

const file = path.join(projectRoot, 'templates/console/dashboard-demo.zh-CN.json');

export const DEMO_TEXT = JSON.parse(fs.readFileSync(file, 'utf8')) as DemoText;
export const PRODUCTS: readonly Product[] = DEMO_TEXT.products;

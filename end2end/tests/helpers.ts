import { expect, Page } from '@playwright/test';
import * as fs from 'node:fs';

export const SEED_ID = 'mz-fzyjzx-gzdt-20220512-01';
export const SEED_PATH = `/articles/${SEED_ID}`;
export const SEED_TITLE = '以感恩之心奋进之力实干之行 推动红色苏区绿色发展';

/** Collects console errors and warnings (hydration problems surface there). */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return problems;
}

export async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
}

/** Makes localStorage throw, as a browser that blocks storage does. */
export async function blockStorage(page: Page) {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
  });
}

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.2 A / AA violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Run through the debugging protocol, which the page's script policy does not govern.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await (window as any).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return r.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
  });
}

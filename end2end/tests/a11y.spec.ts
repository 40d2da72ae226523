import { expect, test } from './fixtures';
import { axeViolations as violations, hydrated, SEED_PATH } from './helpers';

const variants = ['zh-Hans', 'zh-Hant', 'zh-TW', 'zh-HK'];
const contrasts = ['default', 'high', 'inverted'];
const sizes = ['small', 'medium', 'large', 'x-large'];

test('axe: no WCAG 2.2 AA violations in any variant, scheme or size', async ({ page, context, baseURL }) => {
  test.setTimeout(180_000);
  const found: string[] = [];
  const combos: [string, string, string][] = [];
  for (const v of variants) for (const c of contrasts) combos.push([v, 'medium', c]);
  for (const s of sizes) combos.push(['zh-Hans', s, 'default']);
  for (const [v, s, c] of combos) {
    await context.clearCookies();
    await context.addCookies([{ name: 'reader', value: `${v}.${s}.${c}`, url: baseURL! }]);
    await page.goto(SEED_PATH);
    await hydrated(page);
    await expect(page.locator('html')).toHaveAttribute('data-contrast', c);
    for (const problem of await violations(page)) found.push(`${v}/${s}/${c} ${problem}`);
  }
  for (const path of ['/', '/channels/gzdt', '/articles/missing']) {
    await context.clearCookies();
    await page.goto(path);
    await hydrated(page);
    for (const problem of await violations(page)) found.push(`${path} ${problem}`);
  }
  expect(found).toEqual([]);
});

test('axe: no violations on pages reached by navigation', async ({ page }) => {
  const found: string[] = [];
  await page.goto('/');
  await hydrated(page);
  await page.locator('.channel-box h3 a').first().click();
  await expect(page).toHaveURL(/\/channels\//);
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  for (const problem of await violations(page)) found.push(`channel ${problem}`);
  await page.locator('.channel-list li a').first().click();
  await expect(page).toHaveURL(/\/articles\//);
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await expect(page.locator('#announcer')).toHaveText(await page.getByRole('heading', { level: 1 }).innerText());
  for (const problem of await violations(page)) found.push(`article ${problem}`);
  expect(found).toEqual([]);
});

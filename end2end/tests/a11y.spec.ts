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

test('reflow: no page scrolls sideways at 320 px, at any size or spacing, with the 无障碍 panel open (WCAG 1.4.10)', async ({ page, context, baseURL }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 320, height: 640 });
  const found: string[] = [];
  for (const path of [SEED_PATH, '/', '/channels/gzdt', '/search?q=%E6%A2%85%E5%B7%9E', '/accessibility', '/site-map'])
    for (const [v, s, sp] of [['zh-Hans', 'medium', 'normal'], ['zh-HK', 'x-large', 'normal'], ['zh-TW', 'x-large', 'wider']]) {
      await context.clearCookies();
      await context.addCookies([{ name: 'reader', value: `${v}.${s}.default.off.off.off.${sp}`, url: baseURL! }]);
      await page.goto(path);
      await hydrated(page);
      await page.locator('details.aids summary').click();
      const wide = await page.evaluate(() => {
        const w = document.documentElement.clientWidth;
        const over = [...document.querySelectorAll('body *')]
          .filter((e) => getComputedStyle(e).position !== 'fixed' && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > w + 0.5)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
        const text = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = text.nextNode(); n; n = text.nextNode()) {
          const r = document.createRange();
          r.selectNodeContents(n);
          if (r.getBoundingClientRect().right > w + 0.5) over.push(`"${n.textContent!.trim().slice(0, 24)}"`);
        }
        return document.documentElement.scrollWidth > w ? [`scrollWidth ${document.documentElement.scrollWidth} > ${w}`, ...over.slice(0, 4)] : [];
      });
      if (wide.length) found.push(`${path} ${v}/${s}/${sp}: ${wide.join(', ')}`);
      // Nor does a short label break letter by letter (搜尋 as 搜 / 尋).
      const lines = await page.locator('.search-box button').evaluate((b) => {
        const r = document.createRange();
        r.selectNodeContents(b);
        return r.getClientRects().length;
      });
      if (lines > 1) found.push(`${path} ${v}/${s}/${sp}: the search button's label takes ${lines} lines`);
    }
  expect(found).toEqual([]);
});

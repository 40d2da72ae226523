import { expect, test } from './fixtures';
import { SEED_PATH } from './helpers';
import type { Browser } from '@playwright/test';

// `<html data-hydrated="true">` promises that every control on the page is handled in place. A
// click made the instant it appears (in the mutation observer's callback, before anything else
// runs) must not load a document: not the toolbar's form, not a link, not the search form.

type Action = 'toolbar' | 'link' | 'search';

const PAGES = ['/', '/channels/gzdt', SEED_PATH];
const ACTIONS: Action[] = ['toolbar', 'link', 'search'];

async function clickOnMarker(browser: Browser, path: string, action: Action) {
  // A fresh context each time: no cookie, no storage, no cached wasm module in memory.
  const context = await browser.newContext();
  const page = await context.newPage();
  const documents: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'document' && r.frame() === page.mainFrame()) documents.push(r.url());
  });
  await page.addInitScript((action: Action) => {
    const w = window as any;
    w.__loadedOnce = true;
    const act = () => {
      if (action === 'toolbar') {
        (document.querySelector('.toolbar [data-pref="variant"][data-value="zh-TW"]') as HTMLElement).click();
      } else if (action === 'link') {
        // The first link in the page's own content that leads to another page of the site.
        const here = location.pathname + location.search;
        const link = [...document.querySelectorAll<HTMLAnchorElement>('main a[href^="/"]')].find(
          (a) => a.pathname + a.search !== here && !a.hash,
        )!;
        w.__target = link.pathname;
        link.click();
      } else {
        (document.querySelector('#search-q') as HTMLInputElement).value = '干部';
        (document.querySelector('.search-box button[type="submit"]') as HTMLElement).click();
      }
    };
    new MutationObserver((_, observer) => {
      if (document.documentElement.getAttribute('data-hydrated') === 'true') {
        observer.disconnect();
        w.__clicked = performance.now();
        act();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
  }, action);

  await page.goto(path);
  await expect.poll(() => page.evaluate(() => (window as any).__clicked ?? null), { timeout: 15_000 }).not.toBeNull();
  if (action === 'toolbar') {
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-TW');
    await expect(page.locator('.toolbar')).toContainText('字型');
  } else if (action === 'link') {
    const target = await page.evaluate(() => (window as any).__target as string);
    await expect(page).toHaveURL((url) => url.pathname === target);
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  } else {
    await expect(page).toHaveURL(/\/search\?q=%E5%B9%B2%E9%83%A8$/);
    await expect(page.locator('.search-results li').first()).toBeVisible();
  }
  // Still the first document, and the only one requested.
  expect(await page.evaluate(() => (window as any).__loadedOnce === true)).toBe(true);
  expect(documents, `${path} ${action}`).toHaveLength(1);
  await context.close();
}

test('a click the instant the hydration marker appears is handled in place (27 fresh pages)', async ({ browser }) => {
  test.setTimeout(180_000);
  let runs = 0;
  for (let round = 0; round < 3; round++) {
    for (const path of PAGES) {
      for (const action of ACTIONS) {
        await clickOnMarker(browser, path, action);
        runs++;
      }
    }
  }
  expect(runs).toBe(27);
});

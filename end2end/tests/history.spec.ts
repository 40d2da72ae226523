import { expect, test } from './fixtures';
import { chromium } from '../chromium';
import { blockStorage, hydrated, SEED_PATH, watchConsole } from './helpers';

// Playwright turns the back/forward cache off by default; readers have it on.
test.use({ launchOptions: { ...chromium, ignoreDefaultArgs: ['--disable-back-forward-cache'] } });

for (const storage of ['localStorage', 'a cookie only']) {
  test(`a page restored by Back shows the choices made since on another page (${storage})`, async ({ page }) => {
    const problems = watchConsole(page);
    if (storage !== 'localStorage') {
      await blockStorage(page);
    }
    await page.goto(SEED_PATH);
    await hydrated(page);
    await page.evaluate(() => ((window as any).__kept = true));
    await page.locator('.breadcrumb a[href="/channels/gzdt"]').click();
    await expect(page).toHaveURL(/\/channels\/gzdt$/);
    await hydrated(page);
    await page.locator('[data-pref="variant"][data-value="zh-TW"]').first().click();
    await page.locator('.toolbar [data-pref="contrast"][data-value="high"]').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('工作動態');

    await page.goBack({ waitUntil: 'commit' });
    await expect(page).toHaveURL(new RegExp(`${SEED_PATH}$`));
    // The same document, back from the cache (not a reload), brought up to date in place.
    expect(await page.evaluate(() => (window as any).__kept)).toBe(true);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-TW');
    await expect(page.locator('html')).toHaveAttribute('data-contrast', 'high');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('以感恩之心奮進之力實幹之行 推動紅色蘇區綠色發展');
    await expect(page).toHaveTitle(/以感恩之心奮進之力實幹之行/);
    expect(problems).toEqual([]);
  });
}

import { expect, test } from './fixtures';
import { hydrated, SEED_PATH, SEED_TITLE, watchConsole } from './helpers';

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the article page is complete as served', async ({ page }) => {
    const res = await page.goto(SEED_PATH);
    expect(res?.status()).toBe(200);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
    await expect(page).toHaveTitle(`${SEED_TITLE} - 梅州市人民政府门户网站`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_TITLE);

    const crumbs = page.getByRole('navigation', { name: '当前位置' }).getByRole('link');
    await expect(crumbs).toHaveText(['梅州市人民政府门户网站', '梅州市人民政府发展研究中心', '工作动态']);

    const toolbar = page.getByRole('navigation', { name: '阅读设置' });
    for (const label of ['页面', '字体', '对比度']) await expect(toolbar).toContainText(label);
    await expect(page.locator('.text-size')).toContainText('字号');
    await expect(page.locator('.text-size button')).toHaveText(['大', '中', '小']);

    const meta = page.locator('.meta');
    await expect(meta).toContainText('来源:梅州日报');
    await expect(meta).toContainText('时间:2022-05-12 09:50:54');
    await expect(meta).toContainText(/浏览:\d+/);
    // Compressed, the count is followed by spaces (room for more digits): they show nothing.
    const count = page.locator('.view-count');
    expect(await count.textContent()).toMatch(/^\d+ *$/);
    expect(await count.evaluate((e) => (e as HTMLElement).innerText)).toMatch(/^\d+$/);

    const paragraphs = page.locator('.article-body p');
    await expect(paragraphs).toHaveCount(6);
    await expect(paragraphs.first()).toContainText('11日,全市干部大会在市委礼堂召开');
    await expect(paragraphs.last()).toContainText('市各民主党派主要负责同志参加会议');

    await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', SEED_TITLE);
    await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', /^11日/);
    await expect(page.getByRole('navigation', { name: '上一篇和下一篇' })).toContainText('下一篇:');
  });

  test('channel pages page through every article with plain links', async ({ page }) => {
    await page.goto('/channels/gzdt');
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const titles = await page.locator('.channel-list li a').allTextContents();
      expect(titles.length).toBeGreaterThan(0);
      seen.push(...titles);
      const older = page.getByRole('link', { name: '较早文章 »' });
      if ((await older.count()) === 0) break;
      await older.click();
    }
    expect(seen[0]).toBe(SEED_TITLE);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(35);
  });

  test('print stylesheet keeps title, source, date and address only', async ({ page }) => {
    await page.goto(SEED_PATH);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.print-url')).toBeVisible();
    await expect(page.locator('.print-url')).toContainText(SEED_PATH);
    await expect(page.locator('.toolbar')).toBeHidden();
    await expect(page.locator('.breadcrumb')).toBeHidden();
    await expect(page.locator('.meta')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  });
});

test.describe('with JavaScript', () => {
  test('hydrates, and the text size control works without a reload', async ({ page }) => {
    const problems = watchConsole(page);
    await page.goto(SEED_PATH);
    await hydrated(page);
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-font-size', 'medium');
    const before = await page.locator('.article-body').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

    const marker = await page.evaluate(() => ((window as any).__noReload = 1));
    await page.locator('.text-size').getByRole('button', { name: '大' }).click();
    await expect(html).toHaveAttribute('data-font-size', 'large');
    await expect(page.locator('.text-size').getByRole('button', { name: '大' })).toHaveAttribute('aria-pressed', 'true');
    const after = await page.locator('.article-body').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(after).toBeGreaterThan(before);
    expect(await page.evaluate(() => (window as any).__noReload)).toBe(marker);
    expect(problems).toEqual([]);
  });

  test('every kind of page hydrates cleanly and switches variant in place, title included', async ({ page }) => {
    const problems = watchConsole(page);
    const pages = [
      ['/', '梅州市人民政府门户网站', '梅州市人民政府門戶網站'],
      ['/channels/gzdt', '工作动态', '工作動態'],
      [SEED_PATH, SEED_TITLE, '以感恩之心奮進之力實幹之行 推動紅色蘇區綠色發展'],
      ['/no/such/page', '页面不存在', '頁面不存在'],
    ];
    for (const [path, hans, hant] of pages) {
      await page.goto(path);
      await hydrated(page);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(hans);
      expect(await page.title(), path).toContain(hans);
      await page.evaluate(() => ((window as any).__same = true));
      await page.locator('[data-pref="variant"][data-value="zh-Hant"]').first().click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(hant);
      await expect(page).toHaveTitle(new RegExp(hant));
      expect(await page.evaluate(() => (window as any).__same), path).toBe(true);
      await page.locator('[data-pref="variant"][data-value="zh-Hans"]').first().click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(hans);
    }
    // The one expected console line: the 404 page's own status.
    const notFound = problems.filter((p) => p.includes('status of 404'));
    expect(notFound).toHaveLength(1);
    expect(problems.filter((p) => !notFound.includes(p))).toEqual([]);
  });

  test('the front page links to the seed article by its title', async ({ page }) => {
    const problems = watchConsole(page);
    await page.goto('/');
    await hydrated(page);
    await page.getByRole('link', { name: SEED_TITLE }).first().click();
    await expect(page).toHaveURL(new RegExp(`${SEED_PATH}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_TITLE);
    await expect(page.locator('.article-body p')).toHaveCount(6);
    expect(problems).toEqual([]);
  });
});

test('unknown pages get the 404 page with status 404', async ({ page }) => {
  for (const path of ['/articles/no-such-article', '/articles/bad%20id', '/no/such/page', '/channels/NOPE']) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在');
  }
});

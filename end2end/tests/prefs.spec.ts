import { expect, test } from './fixtures';
import { blockStorage, hydrated, SEED_PATH, watchConsole } from './helpers';

const HANT_TITLE = '以感恩之心奮進之力實幹之行 推動紅色蘇區綠色發展';

test.describe('with JavaScript', () => {
  test('each control applies in place, and a reload keeps it in the server HTML', async ({ page }) => {
    const problems = watchConsole(page);
    await page.goto(SEED_PATH);
    await hydrated(page);
    await page.evaluate(() => ((window as any).__same = true));
    await page.mouse.wheel(0, 600);
    await page.waitForFunction(() => window.scrollY > 300);
    const scrolled = await page.evaluate(() => window.scrollY);

    // A click without the scroll-into-view a pointer would need: the page itself must not jump.
    await page.locator('[data-pref="variant"][data-value="zh-Hant"]').first().dispatchEvent('click');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hant');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(HANT_TITLE);
    await expect(page.locator('.article-body')).toContainText('好幹部');
    await expect(page.locator('.toolbar')).toContainText('字體');
    expect(Math.abs((await page.evaluate(() => window.scrollY)) - scrolled)).toBeLessThan(50);

    await page.locator('.toolbar [data-pref="font-size"][data-value="x-large"]').click();
    await expect(page.locator('html')).toHaveAttribute('data-font-size', 'x-large');
    await page.locator('[data-pref="contrast"][data-value="inverted"]').click();
    await expect(page.locator('html')).toHaveAttribute('data-contrast', 'inverted');
    await expect(page.locator('[data-pref="contrast"][data-value="inverted"]')).toHaveAttribute('aria-pressed', 'true');
    expect(await page.evaluate(() => (window as any).__same)).toBe(true);

    const res = await page.reload();
    const raw = await res!.text();
    expect(raw).toMatch(/<html[^>]* lang="zh-Hant"/);
    expect(raw).toMatch(/<html[^>]* data-font-size="x-large"/);
    expect(raw).toMatch(/<html[^>]* data-contrast="inverted"/);
    expect(raw).toContain(HANT_TITLE);
    await hydrated(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hant');
    expect(problems).toEqual([]);
  });

  test('when the new variant\'s interface text cannot be fetched, the interface keeps the text it had', async ({ page }) => {
    await page.goto(`${SEED_PATH}?variant=zh-TW`);
    await hydrated(page);
    const before = await page.locator('.toolbar').innerText();
    expect(before).toContain('字型');
    let asked = 0;
    await page.route('**/_fn/ui**', (r) => { asked++; return r.abort(); });
    await page.locator('[data-pref="variant"][data-value="zh-Hant"]').first().click();
    await expect.poll(() => asked).toBeGreaterThan(0);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hant');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(HANT_TITLE);
    // Not blank, and not another variant's: the labels the page had.
    expect(await page.locator('.toolbar').innerText()).toBe(before);
    await expect(page.locator('.search-box button')).toHaveText('搜尋');
  });

  test('a change in one tab reaches the other', async ({ context }) => {
    const a = await context.newPage();
    const b = await context.newPage();
    await a.goto(SEED_PATH);
    await b.goto(SEED_PATH);
    await hydrated(a);
    await hydrated(b);
    await a.locator('.toolbar [data-pref="font-size"][data-value="large"]').click();
    await a.locator('[data-pref="variant"][data-value="zh-HK"]').first().click();
    await expect(b.locator('html')).toHaveAttribute('data-font-size', 'large');
    await expect(b.locator('html')).toHaveAttribute('lang', 'zh-HK');
    await expect(b.getByRole('heading', { level: 1 })).toHaveText(HANT_TITLE);
  });

  test('corrupt storage and cookie give defaults and a working page', async ({ page, context, baseURL }) => {
    const problems = watchConsole(page);
    await context.addCookies([{ name: 'reader', value: 'zh-XX.%%%.neon', url: baseURL! }]);
    await page.addInitScript(() => localStorage.setItem('reader-prefs', '{not json'));
    await page.goto(SEED_PATH);
    await hydrated(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
    await expect(page.locator('html')).toHaveAttribute('data-font-size', 'medium');
    await page.locator('.toolbar [data-pref="font-size"][data-value="large"]').click();
    await expect(page.locator('html')).toHaveAttribute('data-font-size', 'large');
    expect(problems).toEqual([]);
  });

  test('blocked storage still gives a working page', async ({ page }) => {
    const problems = watchConsole(page);
    await blockStorage(page);
    await page.goto(SEED_PATH);
    await hydrated(page);
    await page.locator('[data-pref="contrast"][data-value="high"]').click();
    await expect(page.locator('html')).toHaveAttribute('data-contrast', 'high');
    expect(problems).toEqual([]);
  });

  test('time from a variant click to converted text on screen', async ({ page }) => {
    let documents = 0;
    page.on('request', (r) => {
      if (r.resourceType() === 'document') documents++;
    });
    await page.goto(SEED_PATH);
    await hydrated(page);
    const times: number[] = [];
    const order = ['zh-Hant', 'zh-Hans', 'zh-TW', 'zh-Hans', 'zh-HK', 'zh-Hans'];
    for (let round = 0; round < 2; round++) {
      for (const v of order) {
        const click = await page.evaluate(async (v) => {
          const h1 = document.querySelector('h1')!;
          const before = h1.textContent;
          const t0 = performance.now();
          (document.querySelector(`[data-pref="variant"][data-value="${v}"]`) as HTMLElement).click();
          await new Promise<void>((resolve) => {
            const check = () => (document.querySelector('h1')!.textContent !== before ? resolve() : requestAnimationFrame(check));
            check();
          });
          return { ms: performance.now() - t0, lang: document.documentElement.lang };
        }, v);
        expect(click.lang, 'the page shows the variant clicked').toBe(v);
        times.push(click.ms);
      }
    }
    times.sort((x, y) => x - y);
    const median = times[Math.floor(times.length / 2)];
    console.log(`variant switch: median ${median.toFixed(1)} ms over ${times.length} clicks (min ${times[0].toFixed(1)}, max ${times[times.length - 1].toFixed(1)})`);
    expect(documents, 'every switch was made in place').toBe(1);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the toolbar works as forms: the server sets the cookie and sends the reader back', async ({ page }) => {
    await page.goto(SEED_PATH);
    await page.locator('[data-pref="variant"][data-value="zh-TW"]').first().click();
    await expect(page).toHaveURL(new RegExp(`${SEED_PATH}$`));
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-TW');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(HANT_TITLE);
    await page.locator('.text-size [data-value="large"]').click();
    await expect(page.locator('html')).toHaveAttribute('data-font-size', 'large');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-TW');
    await page.locator('[data-pref="contrast"][data-value="high"]').click();
    await expect(page.locator('html')).toHaveAttribute('data-contrast', 'high');
  });
});

test.describe('keyboard and system settings', () => {
  test('the toolbar works from the keyboard with a visible focus', async ({ page }) => {
    await page.goto(SEED_PATH);
    await hydrated(page);
    const target = page.locator('.toolbar [data-pref="font-size"][data-value="large"]');
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if (await target.evaluate((el) => el === document.activeElement)) break;
    }
    await expect(target).toBeFocused();
    const outline = await target.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('data-font-size', 'large');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect(page.locator('html')).toHaveAttribute('data-font-size', 'x-large');
  });

  test('a first visit honours prefers-contrast: more', async ({ page }) => {
    await page.emulateMedia({ contrast: 'more' });
    await page.goto(SEED_PATH);
    const colors = await page.evaluate(() => {
      const s = getComputedStyle(document.body);
      return [s.color, s.backgroundColor];
    });
    expect(colors).toEqual(['rgb(0, 0, 0)', 'rgb(255, 255, 255)']);
  });
});

for (const js of [true, false]) {
  test.describe(`a paged channel (${js ? 'with' : 'without'} JavaScript)`, () => {
    test.use({ javaScriptEnabled: js });

    test('switching variant on page 2 keeps the reader on page 2', async ({ page }) => {
      await page.goto('/channels/gzdt?variant=zh-TW');
      const items = page.locator('.channel-list li a');
      const pageOne = await items.first().textContent();
      await page.getByRole('link', { name: '較早文章 »' }).click();
      await expect(page).toHaveURL(/[?&]after=[^&]+&variant=zh-TW$/);
      if (js) await hydrated(page);
      // The address moves before the list does (client-side navigation): wait for page 2's list.
      await expect(items.first()).not.toHaveText(pageOne ?? '');
      const after = new URL(page.url()).searchParams.get('after');
      const count = await items.count();
      await page.locator('[data-pref="variant"][data-value="zh-HK"]').first().click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-HK');
      await expect(page).toHaveURL(new RegExp(`[?&]after=${after}&variant=zh-HK$`));
      // What the server renders at this address, seen in another tab.
      const other = await page.context().newPage();
      await other.goto(page.url());
      const first = await other.locator('.channel-list li a').first().textContent();
      await other.close();
      // The list shown in place becomes that one (not page 1's, not zh-TW's).
      await expect(items).toHaveCount(count);
      await expect(items.first()).toHaveText(first ?? '');
      await page.reload();
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-HK');
      await expect(items.first()).toHaveText(first ?? '');
      // Page 1 starts elsewhere: the reader really stayed on page 2.
      await page.goto('/channels/gzdt?variant=zh-HK');
      await expect(page.locator('.channel-list li a').first()).not.toHaveText(first ?? '');
    });
  });
}

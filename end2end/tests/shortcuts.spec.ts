import { expect, test } from './fixtures';
import { axeViolations, hydrated, SEED_PATH, watchConsole } from './helpers';
import { ALL_VOICES, endCurrent, installRecorder, log, pageErrors } from './speech-recorder';

test.afterEach(async ({ page }) => {
  expect(pageErrors.get(page) ?? [], 'page errors').toEqual([]);
});

test('? opens the shortcuts dialog; Escape closes it; typing ? in the search box does not', async ({ page }) => {
  await installRecorder(page, ALL_VOICES);
  const problems = watchConsole(page);
  await page.goto(SEED_PATH);
  await hydrated(page);
  const dialog = page.getByRole('dialog', { name: '快捷键说明' });
  await expect(dialog).toBeHidden();
  await page.locator('h1').click();
  await page.keyboard.press('Shift+Slash');
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('tbody tr')).toHaveCount(6);
  await expect(dialog).toContainText('Alt + Shift + R');
  expect(await axeViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  const box = page.locator('#search-q');
  await box.click();
  await page.keyboard.type('what?');
  await expect(box).toHaveValue('what?');
  await expect(dialog).toBeHidden();
  // The panel's link opens it too, and 关闭 closes it with focus back where it was.
  await page.locator('details.aids summary').click();
  await page.locator('.shortcuts-link').click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: '关闭' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.shortcuts-link')).toBeFocused();
  expect(problems).toEqual([]);
});

test('Alt+Shift+O opens and closes the aids panel; Alt+Shift+R/N/P/S drive 朗读', async ({ page }) => {
  await installRecorder(page, ALL_VOICES);
  await page.goto(SEED_PATH);
  await hydrated(page);
  const details = page.locator('details.aids');
  await page.keyboard.press('Alt+Shift+KeyO');
  await expect(details).toHaveJSProperty('open', true);
  await expect(details.locator('summary')).toBeFocused();
  await page.keyboard.press('Alt+Shift+KeyO');
  await expect(details).toHaveJSProperty('open', false);

  await expect(page.locator('.read-aloud-start')).toBeVisible();
  await page.keyboard.press('Alt+Shift+KeyR');
  await expect.poll(async () => (await log(page)).length).toBe(1);
  await expect(page.locator('.read-aloud-player')).toBeVisible();
  const first = (await log(page))[0].text;
  await page.keyboard.press('Alt+Shift+KeyN');
  await expect.poll(async () => (await log(page)).length).toBe(2);
  await page.keyboard.press('Alt+Shift+KeyP');
  await expect.poll(async () => (await log(page)).length).toBe(3);
  expect((await log(page))[2].text).toBe(first);
  await page.keyboard.press('Alt+Shift+KeyR');
  await expect.poll(() => page.evaluate(() => (window as any).__speech.calls)).toContain('pause');
  await page.keyboard.press('Alt+Shift+KeyR');
  await expect.poll(() => page.evaluate(() => (window as any).__speech.calls)).toContain('resume');
  await page.keyboard.press('Alt+Shift+KeyS');
  await expect(page.locator('.read-aloud-player')).toBeHidden();
  await endCurrent(page);
  // Typing in the search box: no shortcut.
  const n = (await log(page)).length;
  await page.locator('#search-q').focus();
  await page.keyboard.press('Alt+Shift+KeyR');
  await page.waitForTimeout(300);
  expect((await log(page)).length).toBe(n);
  // A single letter is a screen reader's: nothing happens.
  await page.locator('h1').click();
  await page.keyboard.press('r');
  await page.waitForTimeout(300);
  expect((await log(page)).length).toBe(n);
});

for (const [variant, title, regional] of [
  ['zh-Hans', '无障碍声明', '默认'],
  ['zh-Hant', '無障礙聲明', '默認'],
  ['zh-TW', '無障礙聲明', '預設'],
  ['zh-HK', '無障礙聲明', '預設'],
] as const) {
  test(`the statement in ${variant}, from the footer, with the region's interface words`, async ({ page }) => {
    await page.goto(`/?variant=${variant}`);
    await hydrated(page);
    await page.locator('.site-footer').getByRole('link', { name: title }).click();
    await expect(page).toHaveURL(new RegExp(`/accessibility\\?variant=${variant}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(page.locator('#shortcuts')).toBeVisible();
    await expect(page.locator('.statement')).toContainText('WCAG');
    await expect(page.locator('.statement')).toContainText('GB/T 37668-2019');
    await expect(page.locator('[data-pref="contrast"][data-value="default"]')).toHaveText(regional);
    expect(await axeViolations(page)).toEqual([]);
    // Served whole by the server too.
    const res = await page.request.get(`/accessibility?variant=${variant}`);
    expect(res.status()).toBe(200);
    const html = await res.text();
    expect(html).toContain(title);
    expect(html).toContain('Alt + Shift + O');
  });
}

test('interface words per region: Taiwan searches with 搜尋 and prints with 列印, the article text is not reworded', async ({ page }) => {
  await page.goto(`${SEED_PATH}?variant=zh-TW`);
  await expect(page.locator('.search-box button')).toHaveText('搜尋');
  await expect(page.locator('.article-actions')).toContainText('列印');
  await expect(page.locator('.toolbar')).toContainText('字型');
  await page.goto(`${SEED_PATH}?variant=zh-Hant`);
  await expect(page.locator('.search-box button')).toHaveText('搜索');
});

test('in Taiwan the statement says 設定, 儲存 and 載入, and names and titles keep their words', async ({ page }) => {
  await page.goto('/accessibility?variant=zh-TW');
  const statement = page.locator('.statement');
  await expect(statement).toContainText('這些設定儲存在本瀏覽器中');
  await expect(statement).toContainText('也不載入其他網站的指令碼');
  await expect(statement).toContainText('工業和信息化部《互聯網網站適老化通用設計規範》');
  await expect(statement).toContainText('《信息技術 互聯網內容無障礙可訪問性技術要求與測試方法》');
  await expect(page.locator('.toolbar')).toHaveAccessibleName('閱讀設定');
  await page.goto('/accessibility?variant=zh-HK');
  await expect(page.locator('.statement')).toContainText('這些設定儲存在本瀏覽器中');
  await expect(page.locator('.statement')).toContainText('也不載入其他網站的腳本');
});

test('keyboard only: Tab reaches every toolbar control and aid with a visible focus, and each works', async ({ page }) => {
  await installRecorder(page, ALL_VOICES);
  await page.goto(SEED_PATH);
  await hydrated(page);
  // 朗读 joins the row once the page runs.
  await expect(page.locator('.read-aloud-start')).toBeVisible();
  // The panel opened from the keyboard, so its controls are in the order too.
  await page.keyboard.press('Alt+Shift+KeyO');
  await expect(page.locator('details.aids')).toHaveJSProperty('open', true);
  // From the top of the page (the skip link is its first stop).
  await page.locator('.skip-link').focus();
  const seen = new Map<string, string>();
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      if (!e || !e.closest('.toolbar')) return null;
      const key = e.dataset.pref ? `${e.dataset.pref}=${e.dataset.value ?? ''}` : e.className || e.tagName.toLowerCase();
      return { key, outline: getComputedStyle(e).outlineStyle };
    });
    if (f) seen.set(f.key, f.outline);
  }
  const expected = [
    'variant=zh-Hans', 'variant=zh-Hant', 'variant=zh-TW', 'variant=zh-HK',
    'font-size=small', 'font-size=medium', 'font-size=large', 'font-size=x-large',
    'contrast=default', 'contrast=high', 'contrast=inverted',
    'read-aloud-start', 'read-aloud-point', 'summary',
    'cursor=', 'guide=', 'caption=', 'spacing=normal', 'spacing=wide', 'spacing=wider',
    'aids-reset', 'shortcuts-link',
  ];
  for (const key of expected) {
    expect(seen.has(key), `${key} reached by Tab (reached: ${[...seen.keys()].join(' ')})`).toBe(true);
    expect(seen.get(key), `${key} shows its focus`).not.toBe('none');
  }
  // Each kind works from the keyboard: a preference, an aid, and 朗读 with its bar.
  const focusOn = async (selector: string, fromTop = true) => {
    if (fromTop) await page.locator('.skip-link').focus();
    const target = page.locator(selector);
    for (let i = 0; i < 60 && !(await target.evaluate((e) => e === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(target).toBeFocused();
  };
  await focusOn('.aids [data-pref="spacing"][data-value="wide"]');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('data-spacing', 'wide');
  await focusOn('.read-aloud-start');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await log(page)).length).toBe(1);
  await focusOn('.read-aloud-pause', false);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => (window as any).__speech.calls)).toContain('pause');
  await focusOn('.read-aloud-stop', false);
  await page.keyboard.press('Space');
  await expect(page.locator('.read-aloud-player')).toBeHidden();
});

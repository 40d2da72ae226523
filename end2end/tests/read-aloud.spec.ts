import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { axeViolations, hydrated, SEED_PATH } from './helpers';
import { ALL_VOICES, endCurrent, installRecorder, log, pageErrors, Spoken, Voice } from './speech-recorder';

// A panic in the app (say, a signal set while its view is dropped) shows only as a page error.
test.afterEach(async ({ page }) => {
  expect(pageErrors.get(page) ?? [], 'page errors').toEqual([]);
});

/** The text a reader sees in the article, block by block, as the page shows it. */
async function shownText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const a = document.querySelector('main article.article')!;
    const parts = [...a.querySelectorAll('h1, .meta-item, .article-body p')].map((e) => (e as HTMLElement).innerText);
    return parts.join('').replace(/\s+/g, '');
  });
}

/** Opens `path` with every voice, presses 朗读 and waits for the first sentence; the player bar,
 * found by its name in the page's script. */
async function startReading(page: Page, path: string, name = '朗读控制') {
  await installRecorder(page, ALL_VOICES);
  await page.goto(path);
  await hydrated(page);
  await page.locator('.read-aloud-start').click();
  const player = page.getByRole('group', { name });
  await expect(player).toBeVisible();
  await expect.poll(async () => (await log(page)).length).toBe(1);
  return player;
}

for (const [variant, lang, voice] of [
  ['zh-Hans', 'zh-CN', 'Mandarin local'],
  ['zh-Hant', 'zh-TW', 'Taiwan'],
  ['zh-TW', 'zh-TW', 'Taiwan'],
  ['zh-HK', 'zh-HK', 'Cantonese'],
] as const) {
  test(`read aloud in ${variant}: the text on screen, sentence by sentence, by a ${lang} voice`, async ({ page }) => {
    await installRecorder(page, ALL_VOICES);
    await page.goto(`${SEED_PATH}?variant=${variant}`);
    await hydrated(page);
    const start = page.locator('.read-aloud-start');
    await expect(start).toBeVisible();
    await start.click();
    await expect.poll(async () => (await log(page)).length).toBe(1);
    // Step through the whole article.
    for (let i = 0; i < 400 && (await page.evaluate(() => (window as any).__speech.speaking)); i++) {
      await endCurrent(page);
    }
    const spoken = await log(page);
    expect(spoken.length).toBeGreaterThan(10);
    for (const s of spoken) {
      expect(s.lang, s.text).toBe(lang);
      expect(s.voice, s.text).toBe(voice);
      expect([...s.text].length, s.text).toBeLessThanOrEqual(40);
      expect(s.text.trim()).toBe(s.text);
    }
    // In order, the whole text on screen (title, 来源 / 时间 / 浏览, body), in this variant.
    const title = await page.locator('main h1').innerText();
    expect(spoken[0].text).toBe(title.trim());
    expect(spoken.map((s) => s.text).join('').replace(/\s+/g, '')).toBe(await shownText(page));
    // Each sentence was highlighted as it was read.
    for (const s of spoken) expect(s.highlighted?.replace(/\s+/g, ''), s.text).toBe(s.text.replace(/\s+/g, ''));
    // Done: the player bar goes, the highlight with it.
    await expect(page.locator('.read-aloud-player')).toBeHidden();
    expect(await page.evaluate(() => (CSS as any).highlights.has('reading'))).toBe(false);
  });
}

test('朗读\'s code comes with the first press, or with 指读 already on, not with the page', async ({ page, context }) => {
  const chunk = /split_read_aloud_control_/;
  const fetched: string[] = [];
  context.on('request', (r) => fetched.push(r.url()));
  await installRecorder(page, ALL_VOICES);
  await page.goto(SEED_PATH);
  await hydrated(page);
  await expect(page.locator('.read-aloud-start')).toBeVisible();
  await page.waitForTimeout(300);
  expect(fetched.filter((u) => chunk.test(u)), 'before the press').toEqual([]);
  await page.locator('.read-aloud-start').click();
  await expect.poll(async () => (await log(page)).length).toBe(1);
  expect(fetched.some((u) => chunk.test(u)), 'after the press').toBe(true);
  await expect(page.locator('.read-aloud-start')).toHaveAttribute('aria-pressed', 'true');

  // 指读 on (remembered): the chunk comes with the page, and the control shows it pressed.
  await page.locator('.read-aloud-point').click();
  await expect(page.locator('.read-aloud-point')).toHaveAttribute('aria-pressed', 'true');
  const other = await context.newPage();
  await installRecorder(other, ALL_VOICES);
  fetched.length = 0;
  await other.goto(SEED_PATH);
  await hydrated(other);
  await expect(other.locator('.read-aloud-point')).toHaveAttribute('aria-pressed', 'true');
  expect(fetched.some((u) => chunk.test(u)), 'with 指读 on').toBe(true);
  await other.close();
});

test('pause, resume, next and previous sentence, and stop', async ({ page }) => {
  const player = await startReading(page, SEED_PATH);
  await player.getByRole('button', { name: '暂停' }).click();
  await expect.poll(() => page.evaluate(() => (window as any).__speech.calls.at(-1))).toBe('pause');
  await player.getByRole('button', { name: '继续' }).click();
  await expect.poll(() => page.evaluate(() => (window as any).__speech.calls.at(-1))).toBe('resume');
  await player.getByRole('button', { name: '下一句' }).click();
  await player.getByRole('button', { name: '下一句' }).click();
  await player.getByRole('button', { name: '上一句' }).click();
  await expect.poll(async () => (await log(page)).length).toBe(4);
  const spoken = await log(page);
  // Title, 来源, 时间, back to 来源.
  expect(spoken[1].text).toMatch(/^来源/);
  expect(spoken[2].text).toMatch(/^时间/);
  expect(spoken[3].text).toBe(spoken[1].text);
  await player.getByRole('button', { name: '停止朗读' }).click();
  await expect(player).toBeHidden();
  expect(await page.evaluate(() => (window as any).__speech.speaking)).toBe(false);
  expect(await page.evaluate(() => (CSS as any).highlights.has('reading'))).toBe(false);
  await expect(page.locator('.read-aloud-start')).toHaveAttribute('aria-pressed', 'false');
});

// A notice's body as older CMS pages write it: a paragraph, then lines in a div split by <br>.
const NOTICE = '/articles/demo-106';

test('lines outside any block are read too, each a paragraph', async ({ page }) => {
  await startReading(page, NOTICE);
  for (let i = 0; i < 400 && (await page.evaluate(() => (window as any).__speech.speaking)); i++) {
    await endCurrent(page);
  }
  const spoken = (await log(page)).map((s) => s.text);
  const shown = await page.evaluate(() => {
    const a = document.querySelector('main article.article')!;
    return [...a.querySelectorAll('h1, .meta-item, .article-body')].map((e) => (e as HTMLElement).innerText);
  });
  expect(spoken.join('').replace(/\s+/g, '')).toBe(shown.join('').replace(/\s+/g, ''));
  // Both lines of the div, each started as a sentence of its own.
  expect(spoken.filter((t) => t.startsWith('会议强调') || t.startsWith('会议要求'))).toHaveLength(2);
});

test('上一段 and 下一段 go to the first sentence of the previous or next paragraph', async ({ page }) => {
  const player = await startReading(page, NOTICE);
  const last = async () => (await log(page)).at(-1)!.text;
  const press = async (name: string) => {
    const n = (await log(page)).length;
    await player.getByRole('button', { name, exact: true }).click();
    await expect.poll(async () => (await log(page)).length).toBe(n + 1);
    return last();
  };
  // From the title, paragraph by paragraph (the title, each 来源 / 时间 / 浏览 item) to the body.
  let text = await last();
  for (let i = 0; i < 10 && !text.startsWith('【演示内容】'); i++) text = await press('下一段');
  expect(text).toMatch(/^【演示内容】/);
  // The first paragraph is two sentences; 下一段 skips its second.
  expect(await press('下一句')).not.toMatch(/^会议/);
  expect(await press('上一句')).toMatch(/^【演示内容】/);
  expect(await press('下一段')).toMatch(/^会议强调/);
  expect(await press('下一段')).toMatch(/^会议要求/);
  expect(await press('上一段')).toMatch(/^会议强调/);
  expect(await press('上一段')).toMatch(/^【演示内容】/);
  // Past the last paragraph the reading ends.
  await press('下一段');
  await press('下一段');
  await player.getByRole('button', { name: '下一段', exact: true }).click();
  await expect(player).toBeHidden();
});

test('navigation and a variant switch stop the reading', async ({ page }) => {
  await startReading(page, SEED_PATH);
  await page.getByRole('navigation', { name: '阅读设置' }).getByRole('button', { name: '繁體', exact: true }).click();
  await expect(page.locator('.read-aloud-player')).toBeHidden();
  expect(await page.evaluate(() => (window as any).__speech.speaking)).toBe(false);
  // Again in the new variant (once its text is on screen), then away by a link: stopped.
  await expect(page.getByRole('navigation', { name: '當前位置' })).toBeVisible();
  await page.locator('.read-aloud-start').click();
  await expect.poll(async () => (await log(page)).length).toBe(2);
  expect((await log(page))[1].lang).toBe('zh-TW');
  await page.getByRole('navigation', { name: '當前位置' }).getByRole('link').last().click();
  await expect(page.locator('main h1')).not.toHaveText(/以感恩之心/);
  expect(await page.evaluate(() => (window as any).__speech.speaking)).toBe(false);
  expect(await page.evaluate(() => (CSS as any).highlights.has('reading'))).toBe(false);
});

for (const [variant, message] of [
  ['zh-Hans', '此浏览器没有普通话语音'],
  ['zh-HK', '此瀏覽器沒有粵語語音'],
] as const) {
  test(`no voice of the language in ${variant}: it says so and reads nothing`, async ({ page }) => {
    // A zh-TW and a bare zh voice only: neither may read Mandarin of the mainland or Cantonese.
    await installRecorder(page, [
      { name: 'Generic zh', lang: 'zh', localService: true },
      { name: 'Taiwan', lang: 'zh-TW', localService: true },
    ]);
    await page.goto(`${SEED_PATH}?variant=${variant}`);
    await hydrated(page);
    await page.locator('.read-aloud-start').click();
    await expect(page.getByRole('status').filter({ hasText: message })).toBeVisible();
    expect(await log(page)).toEqual([]);
    await expect(page.locator('.read-aloud-player')).toBeHidden();
  });
}

test('the rate applies from the next sentence, is remembered, and reaches another tab', async ({ page, context }) => {
  await installRecorder(page, ALL_VOICES);
  await page.goto(SEED_PATH);
  await hydrated(page);
  const other = await context.newPage();
  await installRecorder(other, ALL_VOICES);
  await other.goto(SEED_PATH);
  await hydrated(other);

  await page.locator('.read-aloud-start').click();
  const player = page.getByRole('group', { name: '朗读控制' });
  await player.getByRole('button', { name: '快', exact: true }).click();
  await expect(player.getByRole('button', { name: '快', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await endCurrent(page);
  await expect.poll(async () => (await log(page)).length).toBe(2);
  expect((await log(page)).map((s) => s.rate)).toEqual([1, 1.25]);

  // The other tab reads at the new rate.
  await other.locator('.read-aloud-start').click();
  await expect.poll(async () => (await log(other)).length).toBe(1);
  expect((await log(other))[0].rate).toBe(1.25);
  await other.close();

  // And so does this page after a reload.
  await page.reload();
  await hydrated(page);
  await page.locator('.read-aloud-start').click();
  await expect.poll(async () => (await log(page)).length).toBe(1);
  expect((await log(page))[0].rate).toBe(1.25);
});

test('Hong Kong text in Cantonese, or in Mandarin when the reader chooses it', async ({ page }) => {
  await installRecorder(page, ALL_VOICES);
  await page.goto(`${SEED_PATH}?variant=zh-HK`);
  await hydrated(page);
  const start = page.locator('.read-aloud-start');
  await start.click();
  const player = page.getByRole('group', { name: '朗讀控制' });
  await player.getByRole('button', { name: '普通話' }).click();
  await player.getByRole('button', { name: '停止朗讀' }).click();
  await start.click();
  await expect.poll(async () => (await log(page)).length).toBe(2);
  const [first, second] = await log(page);
  expect([first.lang, first.voice]).toEqual(['zh-HK', 'Cantonese']);
  expect([second.lang, second.voice]).toEqual(['zh-CN', 'Mandarin local']);
  expect(second.text).toBe(first.text);
});

test('hiding the tab stops the reading only when the reader chose so', async ({ page }) => {
  await installRecorder(page, ALL_VOICES);
  await page.goto(SEED_PATH);
  await hydrated(page);
  const hide = () =>
    page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { value: true, configurable: true });
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    });
  await page.locator('.read-aloud-start').click();
  await expect.poll(async () => (await log(page)).length).toBe(1);
  await hide();
  expect(await page.evaluate(() => (window as any).__speech.speaking)).toBe(true);
  const player = page.getByRole('group', { name: '朗读控制' });
  await player.getByLabel('切换到其他标签页时停止朗读').check();
  await hide();
  await expect(player).toBeHidden();
  expect(await page.evaluate(() => (window as any).__speech.speaking)).toBe(false);
});

test('corrupt 朗读 choices in storage give the defaults and a working reading', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('reader-speech', '"<script>%%.\u0000'));
  await startReading(page, SEED_PATH);
  expect((await log(page))[0].rate).toBe(1);
  await expect(page.getByRole('group', { name: '朗读控制' }).getByRole('button', { name: '正常' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});

test('指读 reads what the focus or the resting pointer is on, links and buttons by their text', async ({ page }) => {
  await installRecorder(page, ALL_VOICES);
  await page.goto(SEED_PATH);
  await hydrated(page);
  const toggle = page.locator('.read-aloud-point');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const last = async () => (await log(page)).at(-1);
  // A button under the resting pointer.
  await page.locator('.read-aloud-start').hover();
  await expect.poll(async () => (await last())?.text).toBe('按钮 朗读');

  await page.locator('.breadcrumb a').first().focus();
  await expect.poll(async () => (await last())?.text).toBe('链接 梅州市人民政府门户网站');
  expect((await last())?.lang).toBe('zh-CN');

  // Passing over a paragraph reads nothing; resting on the next one reads it.
  const before = (await log(page)).length;
  const paragraphs = page.locator('.article-body p');
  await paragraphs.nth(1).hover();
  await paragraphs.nth(2).hover();
  await expect.poll(async () => (await log(page)).length).toBeGreaterThan(before);
  const text = await paragraphs.nth(2).innerText();
  expect(text.replace(/\s+/g, '').startsWith((await log(page))[before].text.replace(/\s+/g, ''))).toBe(true);
  const flat = text.replace(/\s+/g, '');
  expect((await log(page)).slice(before).every((s) => flat.includes(s.text.replace(/\s+/g, '')))).toBe(true);

  // Off again: nothing more is read.
  await toggle.click();
  const after = (await log(page)).length;
  await page.locator('.breadcrumb a').last().focus();
  await page.waitForTimeout(800);
  expect((await log(page)).length).toBe(after);
});

test('axe: no violations while reading, in every contrast, nor with the no-voice message', async ({ page, context, baseURL }) => {
  const found: string[] = [];
  for (const c of ['default', 'high', 'inverted']) {
    await context.clearCookies();
    await context.addCookies([{ name: 'reader', value: `zh-HK.large.${c}`, url: baseURL! }]);
    await installRecorder(page, ALL_VOICES);
    await page.goto(SEED_PATH);
    await hydrated(page);
    await page.locator('.read-aloud-start').click();
    await expect(page.locator('.read-aloud-player')).toBeVisible();
    await endCurrent(page);
    for (const problem of await axeViolations(page)) found.push(`${c} ${problem}`);
  }
  const other = await context.newPage();
  await installRecorder(other, []);
  await other.goto(SEED_PATH);
  await hydrated(other);
  await other.locator('.read-aloud-start').click();
  await expect(other.getByRole('status').filter({ hasText: '粵語' })).toBeVisible();
  for (const problem of await axeViolations(other)) found.push(`no voice ${problem}`);
  expect(found).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the read-aloud control is not shown', async ({ page }) => {
    await page.goto(SEED_PATH);
    await expect(page.locator('.read-aloud-start')).toBeHidden();
    await expect(page.locator('.read-aloud-player')).toBeHidden();
  });
});

for (const caption of ['off', 'on']) {
  test(`on a phone at 特大, 大字幕 ${caption}, the sentence read stays in sight, clear of the player bar`, async ({ page, context, baseURL }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await context.addCookies([{ name: 'reader', value: `zh-Hans.x-large.default.off.off.${caption}`, url: baseURL! }]);
    const player = await startReading(page, SEED_PATH);
    for (let i = 0; i < 16; i++) {
      if (i > 0) await endCurrent(page);
      await expect.poll(async () => (await log(page)).length).toBe(i + 1);
      const text = (await log(page))[i].text;
      // Scrolling may be smooth: wait for it to settle in sight.
      await expect.poll(() => page.evaluate(() => {
        const range = [...(CSS as any).highlights.get('reading')][0] as Range;
        const r = range.getBoundingClientRect();
        let [top, bottom] = [0, window.innerHeight];
        for (const panel of document.querySelectorAll('.read-aloud-player, .caption-panel')) {
          const p = panel.getBoundingClientRect();
          if (p.height === 0) continue;
          if (p.top > window.innerHeight / 2) bottom = Math.min(bottom, p.top);
          else top = Math.max(top, p.bottom);
        }
        return r.top >= top - 1 && r.bottom <= bottom + 1 ? 'in sight' : `${Math.round(r.top)}–${Math.round(r.bottom)}, clear band ${Math.round(top)}–${Math.round(bottom)}`;
      }), text).toBe('in sight');
    }
    await player.getByRole('button', { name: '停止朗读' }).click();
  });
}

test('on a phone the bar folds its choices behind one button, opened by keyboard, and they still apply', async ({ page, context, baseURL }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await context.addCookies([{ name: 'reader', value: 'zh-HK.x-large.default.off.off.off', url: baseURL! }]);
  const player = await startReading(page, SEED_PATH, '朗讀控制');
  const height = () => player.evaluate((p) => Math.round(p.getBoundingClientRect().height));
  const more = player.getByRole('button', { name: '語速與選項' });
  const fast = player.getByRole('button', { name: '快', exact: true });
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await expect(fast).toBeHidden();
  await expect(player.getByRole('button', { name: '普通話' })).toBeHidden();
  // Folded, the bar leaves most of a 740 px window to the text, even at 特大.
  const folded = await height();
  expect(folded, 'folded bar height').toBeLessThanOrEqual(740 * 0.3);

  await more.focus();
  await page.keyboard.press('Enter');
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  await expect(fast).toBeVisible();
  await expect(player.getByRole('button', { name: '普通話' })).toBeVisible();
  await expect(player.getByLabel('切換到其他標籤頁時停止朗讀')).toBeVisible();
  expect(await height()).toBeGreaterThan(folded);
  // The choices follow the button in the tab order.
  await page.keyboard.press('Tab');
  await expect(player.getByRole('button', { name: '慢', exact: true })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(fast).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(fast).toHaveAttribute('aria-pressed', 'true');
  await endCurrent(page);
  await expect.poll(async () => (await log(page)).length).toBe(2);
  expect((await log(page)).map((s) => s.rate)).toEqual([1, 1.25]);
  // No page scrolls sideways with the choices open, and axe finds nothing, open or folded.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await axeViolations(page), 'open').toEqual([]);

  await more.click();
  await expect(fast).toBeHidden();
  expect(await height()).toBe(folded);
  expect(await axeViolations(page), 'folded').toEqual([]);
});

test('on a wide screen the bar shows its choices, with no folding button', async ({ page }) => {
  const player = await startReading(page, SEED_PATH);
  await expect(player.getByRole('button', { name: '语速与选项' })).toBeHidden();
  await expect(player.getByRole('button', { name: '快', exact: true })).toBeVisible();
  await expect(player.getByLabel('切换到其他标签页时停止朗读')).toBeVisible();
});

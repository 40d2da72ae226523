import { expect, test } from './fixtures';
import { axeViolations, hydrated, SEED_PATH, watchConsole } from './helpers';

const AIDS = ['cursor', 'guide', 'caption'] as const;
const aid = (name: string) => `.aids [data-pref="${name}"]`;

/** Opens the 无障碍 panel (a `<details>`), if closed. */
async function openAids(page: import('@playwright/test').Page) {
  const details = page.locator('details.aids');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
}

test.describe('with JavaScript', () => {
  test('each aid applies in place, comes from the server on reload and follows into another tab', async ({ page, context }) => {
    const problems = watchConsole(page);
    await page.goto(SEED_PATH);
    await hydrated(page);
    const html = page.locator('html');
    for (const a of AIDS) await expect(html).toHaveAttribute(`data-${a}`, 'off');
    await openAids(page);
    for (const a of AIDS) {
      await page.locator(aid(a)).click();
      await expect(html).toHaveAttribute(`data-${a}`, 'on');
      await expect(page.locator(aid(a))).toHaveAttribute('aria-pressed', 'true');
    }
    await page.locator('.aids [data-pref="spacing"][data-value="wider"]').click();
    await expect(html).toHaveAttribute('data-spacing', 'wider');
    const other = await context.newPage();
    const res = await other.goto('/channels/gzdt');
    const raw = await res!.text();
    for (const a of AIDS) expect(raw).toMatch(new RegExp(`<html[^>]* data-${a}="on"`));
    expect(raw).toMatch(/<html[^>]* data-spacing="wider"/);
    expect(raw).toMatch(/data-pref="cursor"[^>]*aria-pressed="true"|aria-pressed="true"[^>]*data-pref="cursor"/);
    // The first paint has the big cursor: the stylesheet's, before any script.
    const cursor = await other.evaluate(() => getComputedStyle(document.body).cursor);
    expect(cursor).toContain('/cursor/arrow.svg');
    await hydrated(other);
    // A change here reaches the other tab.
    await page.locator(aid('guide')).click();
    await expect(other.locator('html')).toHaveAttribute('data-guide', 'off');
    // And a client-side navigation keeps them.
    await page.getByRole('link', { name: '工作动态' }).first().click();
    await expect(page).toHaveURL(/\/channels\//);
    await expect(html).toHaveAttribute('data-cursor', 'on');
    await expect(html).toHaveAttribute('data-spacing', 'wider');
    expect(problems).toEqual([]);
  });

  test('the guide lines follow the pointer and the focus; the big-text panel shows what they are on', async ({ page }) => {
    await page.goto(SEED_PATH);
    await hydrated(page);
    await openAids(page);
    await page.locator(aid('guide')).click();
    await page.locator(aid('caption')).click();
    const panel = page.locator('.caption-panel');
    await expect(panel).toBeVisible();
    expect(parseFloat(await panel.evaluate((p) => getComputedStyle(p).fontSize))).toBeGreaterThanOrEqual(48);
    // The pointer on the title.
    const h1 = page.getByRole('heading', { level: 1 });
    const box = (await h1.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.move(box.x + 30, box.y + box.height / 2);
    await expect(panel).toHaveText((await h1.textContent())!);
    const at = async (sel: string) =>
      page.locator(sel).evaluate((e) => new DOMMatrixReadOnly(getComputedStyle(e).transform));
    const near = (a: number, b: number) => Math.abs(a - b) <= 1.5;
    await expect.poll(async () => near((await at('.guide-x')).m42, box.y + box.height / 2)).toBe(true);
    await expect.poll(async () => near((await at('.guide-y')).m41, box.x + 30)).toBe(true);
    // The keyboard: focus on a link moves both.
    const link = page.locator('.breadcrumb a').first();
    await link.focus();
    await expect(panel).toHaveText((await link.textContent())!.trim());
    const r = (await link.boundingBox())!;
    await expect.poll(async () => near((await at('.guide-y')).m41, r.x)).toBe(true);
    // In the variant on screen.
    await page.locator('[data-pref="variant"][data-value="zh-TW"]').first().click();
    await expect(h1).toHaveText(/奮進/);
    await h1.hover({ position: { x: 10, y: 5 } });
    await expect(panel).toHaveText(/奮進/);
  });

  test('重置 restores every aid and display choice, and keeps the script', async ({ page }) => {
    await page.goto(`${SEED_PATH}?variant=zh-HK`);
    await hydrated(page);
    await openAids(page);
    for (const a of AIDS) await page.locator(aid(a)).click();
    await page.locator('.aids [data-pref="spacing"][data-value="wide"]').click();
    await page.locator('.toolbar [data-pref="font-size"][data-value="x-large"]').click();
    await page.locator('[data-pref="contrast"][data-value="inverted"]').click();
    await page.locator('.aids-reset').click();
    const html = page.locator('html');
    for (const a of AIDS) await expect(html).toHaveAttribute(`data-${a}`, 'off');
    await expect(html).toHaveAttribute('data-spacing', 'normal');
    await expect(html).toHaveAttribute('data-font-size', 'medium');
    await expect(html).toHaveAttribute('data-contrast', 'default');
    await expect(html).toHaveAttribute('lang', 'zh-HK');
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('reader-prefs')!));
    expect(stored).toBe('zh-HK.medium.default.off.off.off.normal');
  });

  test('WCAG 1.4.12: with the text spacing forced, no text is clipped or overlaps', async ({ page }) => {
    for (const path of [SEED_PATH, '/', '/channels/gzdt']) {
      await page.setViewportSize({ width: 360, height: 740 });
      await page.goto(path);
      await hydrated(page);
      await openAids(page);
      // WCAG's spacing, forced as a user style sheet would (through the CSSOM: the page's policy
      // refuses inline <style>).
      await page.evaluate(() => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(`* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
                           p { margin-bottom: 2em !important; }`);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      });
      await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).letterSpacing)).not.toBe('normal');
      const problems = await page.evaluate(() => {
        const out: string[] = [];
        const texts = [...document.querySelectorAll('body *')].filter((e) => {
          const s = getComputedStyle(e);
          if (s.display === 'none' || s.visibility === 'hidden') return false;
          if (e.closest('.visually-hidden, .skip-link, .caption-panel, .guide, [hidden]')) return false;
          return [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim());
        });
        for (const e of texts) {
          // Clipped: its content is larger than its box while overflow hides it.
          const s = getComputedStyle(e);
          const hides = ['hidden', 'clip'].includes(s.overflowX) || ['hidden', 'clip'].includes(s.overflowY);
          if (hides && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)) {
            out.push(`clipped: ${e.tagName}.${e.className} ${e.textContent!.trim().slice(0, 20)}`);
          }
          // Off the page sideways.
          const r = e.getBoundingClientRect();
          if (r.right > document.documentElement.clientWidth + 1) out.push(`past the right edge: ${e.tagName}.${e.className} ${e.textContent!.trim().slice(0, 20)}`);
        }
        // Overlaps between text lines of different elements (each text node's line boxes).
        const boxes: { r: DOMRect; who: string }[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const el = n.parentElement!;
          if (!n.textContent!.trim() || el.closest('.visually-hidden, .skip-link, .caption-panel, .guide, [hidden], details:not([open]) > :not(summary)')) continue;
          const s = getComputedStyle(el);
          if (s.display === 'none' || s.visibility === 'hidden') continue;
          const range = document.createRange();
          range.selectNodeContents(n);
          for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) boxes.push({ r, who: `${el.tagName}.${el.className}: ${n.textContent!.trim().slice(0, 12)}` });
        }
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i].r, b = boxes[j].r;
            const ix = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const iy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (ix > 2 && iy > 2 && boxes[i].who !== boxes[j].who) out.push(`overlap: ${boxes[i].who} / ${boxes[j].who}`);
          }
        }
        return out.slice(0, 10);
      });
      expect(problems, path).toEqual([]);
    }
  });

  for (const contrast of ['default', 'high', 'inverted']) {
    test(`axe: 0 violations with every aid on (${contrast} contrast)`, async ({ page, context, baseURL }) => {
      await context.addCookies([{ name: 'reader', value: `zh-Hans.x-large.${contrast}.on.on.on.wider`, url: baseURL! }]);
      for (const path of [SEED_PATH, '/']) {
        await page.goto(path);
        await hydrated(page);
        await openAids(page);
        await page.getByRole('heading', { level: 1 }).hover();
        expect(await axeViolations(page), path).toEqual([]);
      }
    });
  }

  for (const width of [320, 360]) test(`at ${width} px the toolbar is three rows, the closed panel keeps it so, and it opens usable at every size`, async ({ page }) => {
    await page.setViewportSize({ width, height: 740 });
    await page.goto(SEED_PATH);
    await hydrated(page);
    // 朗读 joins the row once the page runs.
    await expect(page.locator('.read-aloud-start')).toBeVisible();
    const toolbar = page.locator('.toolbar');
    const height = async () => (await toolbar.boundingBox())!.height;
    const withAids = await height();
    await page.locator('details.aids').evaluate((d) => ((d as HTMLElement).style.display = 'none'));
    const without = await height();
    await page.locator('details.aids').evaluate((d) => ((d as HTMLElement).style.display = ''));
    expect(withAids, 'the 无障碍 control fits in the rows the toolbar already has').toBeLessThanOrEqual(without);
    // 页面; 字体 and 朗读; 对比度 and 无障碍: three rows of buttons, in every script's words.
    for (const variant of ['zh-Hant', 'zh-TW', 'zh-HK', 'zh-Hans']) {
      await page.goto(`${SEED_PATH}?variant=${variant}`);
      await hydrated(page);
      await expect(page.locator('.read-aloud-start')).toBeVisible();
      const tops = (await toolbar.locator('button:visible, summary').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top))).sort((a, b) => a - b);
      const rows = tops.filter((t, i) => i === 0 || t - tops[i - 1] > 8).length;
      expect(rows, `rows of the toolbar at ${width} px in ${variant}: ${tops}`).toBe(3);
    }
    for (const size of ['small', 'medium', 'large', 'x-large']) {
      await page.locator(`.toolbar [data-pref="font-size"][data-value="${size}"]`).click();
      await openAids(page);
      for (const sel of [aid('cursor'), aid('guide'), aid('caption'), '.aids-reset', '.aids [data-pref="spacing"][data-value="wider"]']) {
        const b = (await page.locator(sel).boundingBox())!;
        expect(b.x, `${sel} at ${size}`).toBeGreaterThanOrEqual(0);
        expect(b.x + b.width, `${sel} at ${size}`).toBeLessThanOrEqual(width + 1);
      }
      await page.locator('details.aids summary').click();
    }
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the panel opens and each aid works as a form', async ({ page }) => {
    await page.goto(SEED_PATH);
    await page.locator('details.aids summary').click();
    await page.locator(aid('cursor')).click();
    await expect(page.locator('html')).toHaveAttribute('data-cursor', 'on');
    await expect(page).toHaveURL(new RegExp(`${SEED_PATH}$`));
    await page.locator('details.aids summary').click();
    await page.locator('.aids [data-pref="spacing"][data-value="wide"]').click();
    await expect(page.locator('html')).toHaveAttribute('data-spacing', 'wide');
    await expect(page.locator('html')).toHaveAttribute('data-cursor', 'on');
    await page.locator('details.aids summary').click();
    await page.locator('.aids-reset').click();
    await expect(page.locator('html')).toHaveAttribute('data-cursor', 'off');
    await expect(page.locator('html')).toHaveAttribute('data-spacing', 'normal');
  });
});

test('keyboard only: the panel opens and every aid toggles from the keyboard', async ({ page }) => {
  await page.goto(SEED_PATH);
  await hydrated(page);
  const summary = page.locator('details.aids summary');
  for (let i = 0; i < 40 && !(await summary.evaluate((e) => e === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(summary).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('details.aids')).toHaveJSProperty('open', true);
  for (const a of AIDS) {
    await page.keyboard.press('Tab');
    await expect(page.locator(aid(a))).toBeFocused();
    await page.keyboard.press('Space');
    await expect(page.locator('html')).toHaveAttribute(`data-${a}`, 'on');
  }
});

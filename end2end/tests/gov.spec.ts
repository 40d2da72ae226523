import { expect, test } from './fixtures';
import { axeViolations, hydrated, watchConsole } from './helpers';
import { FOOTER } from '../playwright.config';

// A policy document of the demo content: 政务公开 metadata (废止), related links; every page
// carries the deployer's footer (playwright.config.ts sets every part).
const NOTICE = '/articles/demo-106';

test.describe('with JavaScript', () => {
  test('the metadata table sits above the title and a related link is followed in place', async ({ page }) => {
    const problems = watchConsole(page);
    await page.goto(NOTICE);
    await hydrated(page);
    const table = page.locator('table.gov-info');
    await expect(table).toBeVisible();
    const [tableTop, titleTop] = await Promise.all([
      table.evaluate((t) => t.getBoundingClientRect().top),
      page.locator('h1').evaluate((h) => h.getBoundingClientRect().top),
    ]);
    expect(tableTop).toBeLessThan(titleTop);
    await expect(table).toContainText('梅市府办〔2022〕6号');
    await expect(table.locator('td', { hasText: '废止' })).toBeVisible();
    // 附件: name, then format and size; the file is served by the binary as a PDF.
    const file = page.locator('section.attachments li').first();
    await expect(file).toHaveText('附件1：演示附件6（PDF，613 B）');
    const href = (await file.locator('a').getAttribute('href'))!;
    const pdf = await page.request.get(href);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const documents: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'document') documents.push(r.url());
    });
    await page.locator('nav.related').getByRole('link', { name: '【演示】通知公告示例文章第105篇' }).click();
    await expect(page).toHaveURL(/\/articles\/demo-105$/);
    await expect(page.locator('table.gov-info')).toContainText('梅市府办〔2022〕5号');
    expect(documents, 'followed by the router').toEqual([]);
    // A variant switch converts the table in place; the document number's digits and brackets stay.
    await page.locator('.toolbar [data-pref="variant"][data-value="zh-TW"]').click();
    await expect(page.locator('table.gov-info')).toContainText('梅市府辦〔2022〕5號');
    expect(problems).toEqual([]);
  });

  test('分享到: the QR code, a copy button and the page address in the variant shown', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(`${NOTICE}?variant=zh-HK`);
    await hydrated(page);
    const share = page.locator('section.share');
    const qr = share.getByRole('img', { name: '本文網址的二維碼' });
    await expect(qr).toBeVisible();
    const box = (await qr.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(120);
    await share.getByRole('button', { name: '複製連結' }).click();
    await expect(share.locator('.share-status')).toHaveText('連結已複製。');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/\/articles\/demo-106\?variant=zh-HK$/);
    expect(await qr.getAttribute('data-url')).toBe(copied);
  });

  test('the share sheet and 打印本页 answer once a press, with the address of the article shown after an in-place move', async ({ page }) => {
    await page.addInitScript(() => {
      const w = window as unknown as { asked: string[] };
      w.asked = [];
      Object.defineProperty(navigator, 'share', {
        value: (data: ShareData) => {
          w.asked.push(`share ${data.url}`);
          return Promise.resolve();
        },
      });
      window.print = () => void w.asked.push('print');
    });
    await page.goto(NOTICE);
    await hydrated(page);
    await page.locator('nav.related').getByRole('link', { name: '【演示】通知公告示例文章第105篇' }).click();
    await expect(page).toHaveURL(/\/articles\/demo-105$/);
    await expect(page.locator('h1')).toContainText('第105篇');
    await page.getByRole('button', { name: '分享…' }).click();
    await page.getByRole('button', { name: '打印本页' }).click();
    const asked = await page.evaluate(() => (window as unknown as { asked: string[] }).asked);
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatch(/^share http.*\/articles\/demo-105$/);
    expect(asked[1]).toBe('print');
  });

  test('the footer carries every identifier the deployer set, and 网站地图 lists every channel', async ({ page }) => {
    await page.goto('/');
    await hydrated(page);
    const footer = page.locator('footer.site-footer');
    for (const text of [FOOTER.SITE_SPONSOR, FOOTER.SITE_ORGANIZER, FOOTER.SITE_CODE, FOOTER.SITE_ICP, FOOTER.SITE_POLICE]) {
      await expect(footer).toContainText(text);
    }
    await expect(footer.getByRole('link', { name: FOOTER.SITE_ICP })).toHaveAttribute('href', 'https://beian.miit.gov.cn/');
    await expect(footer.getByRole('link', { name: '党政机关网站标识' })).toHaveAttribute('href', FOOTER.SITE_GOV_MARK);
    await footer.getByRole('link', { name: '网站地图' }).click();
    await expect(page).toHaveURL(/\/site-map$/);
    await expect(page.locator('h1')).toHaveText('网站地图');
    await expect(page.locator('.site-map').getByRole('link', { name: '工作动态' })).toBeVisible();
    await expect(page.locator('.site-map').getByRole('link', { name: '通知公告' })).toBeVisible();
  });

  test('axe finds nothing on the policy page and the site map with every aid on, in each contrast', async ({ page }) => {
    await page.goto(NOTICE);
    await hydrated(page);
    for (const pref of ['cursor', 'guide', 'caption']) {
      await page.evaluate((p) => document.querySelector<HTMLButtonElement>(`.aids [data-pref="${p}"]`)!.click(), pref);
    }
    for (const contrast of ['default', 'high', 'inverted']) {
      await page.evaluate((c) => document.querySelector<HTMLButtonElement>(`[data-pref="contrast"][data-value="${c}"]`)!.click(), contrast);
      await expect(page.locator('html')).toHaveAttribute('data-contrast', contrast);
      expect(await axeViolations(page), `${NOTICE} ${contrast}`).toEqual([]);
    }
    await page.goto('/site-map');
    await hydrated(page);
    expect(await axeViolations(page), '/site-map').toEqual([]);
  });

  test('printed, the page keeps the metadata table and the attachments, and drops sharing and 我要纠错', async ({ page }) => {
    await page.goto(NOTICE);
    await hydrated(page);
    // Opened on screen, the report form must still be left out of the printout.
    await page.locator('details.report > summary').click();
    await expect(page.locator('form.report-form')).toBeVisible();
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('table.gov-info')).toBeVisible();
    await expect(page.locator('section.attachments li').first()).toBeVisible();
    await expect(page.locator('section.attachments li').first()).toHaveText('附件1：演示附件6（PDF，613 B）');
    await expect(page.locator('nav.related')).toBeVisible();
    await expect(page.locator('section.share')).toBeHidden();
    await expect(page.locator('details.report')).toBeHidden();
    await expect(page.locator('form.report-form')).toBeHidden();
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the table, the related links and the QR code are in the page; the copy button is not offered', async ({ page }) => {
    await page.goto(NOTICE);
    await expect(page.locator('table.gov-info')).toContainText('梅市府办〔2022〕6号');
    await expect(page.locator('section.share svg[role="img"]')).toBeVisible();
    await expect(page.locator('.share-actions')).toBeHidden();
    await page.locator('nav.related').getByRole('link', { name: '【演示】通知公告示例文章第105篇' }).click();
    await expect(page).toHaveURL(/\/articles\/demo-105$/);
  });
});

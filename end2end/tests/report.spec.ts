import { expect, test } from './fixtures';
import { axeViolations, hydrated, SEED_PATH, watchConsole } from './helpers';

// 我要纠错 on an article: in place with JavaScript (the selection as the excerpt), a plain form
// post and a thank-you page without; posts from other sites, big bodies and the eleventh report
// in an hour refused.
const HOSTILE = '<img src=x onerror=alert(1)> "\'><script>alert(2)</script> =1+1';

test.describe('with JavaScript', () => {
  test('the selected text becomes the excerpt and the report is sent in place', async ({ page }) => {
    const problems = watchConsole(page);
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(SEED_PATH);
    await hydrated(page);
    // Select a phrase of the body.
    await page.evaluate(() => {
      const p = document.querySelector('.article-body p')!;
      const range = document.createRange();
      range.setStart(p.firstChild!, 0);
      range.setEnd(p.firstChild!, 6);
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
    });
    const selected = await page.evaluate(() => window.getSelection()!.toString());
    const report = page.locator('details.report');
    await report.locator('summary').click();
    await expect(page.locator('#report-excerpt')).toHaveValue(selected);
    const documents: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'document') documents.push(r.url());
    });
    await page.locator('#report-description').fill(HOSTILE);
    await page.getByRole('button', { name: '提交' }).click();
    const status = report.locator('.report-status');
    await expect(status).toContainText('纠错编号：JC');
    expect(documents).toEqual([]);
    await expect(page.locator('#report-description')).toHaveValue('');
    const reference = (await status.innerText()).split('：').pop()!.trim();
    expect(problems).toEqual([]);
    // The thank-you page (what a reader without JavaScript lands on) passes axe too.
    const thanks = await page.goto(`/reports/${reference}`);
    expect(thanks!.status()).toBe(200);
    await expect(page.locator('.report-reference strong')).toHaveText(reference);
    expect(await axeViolations(page)).toEqual([]);
  });

  test('axe finds nothing with the form open, and it is reachable by keyboard', async ({ page }) => {
    await page.goto(`${SEED_PATH}?variant=zh-TW`);
    await hydrated(page);
    const summary = page.locator('details.report summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('#report-description')).toBeVisible();
    await expect(page.locator('details.report summary')).toHaveText('我要糾錯');
    await page.keyboard.press('Tab');
    await expect(page.locator('#report-excerpt')).toBeFocused();
    expect(await axeViolations(page)).toEqual([]);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the form posts and the thank-you page names the reference and leads back', async ({ page }) => {
    await page.goto(`${SEED_PATH}?variant=zh-HK`);
    await page.locator('details.report summary').click();
    await page.locator('#report-excerpt').fill('頁麵');
    await page.locator('#report-description').fill(HOSTILE);
    await page.locator('#report-contact').fill('@me');
    await page.locator('.report-form button[type="submit"]').click();
    await expect(page).toHaveURL(/\/reports\/JC\d{8}-[2-9A-Z]{8}\?variant=zh-HK$/);
    await expect(page.locator('h1')).toHaveText('我要糾錯');
    await expect(page.locator('.report-reference strong')).toHaveText(/^JC\d{8}-/);
    await page.getByRole('link', { name: '返回文章' }).click();
    await expect(page).toHaveURL(new RegExp(`${SEED_PATH}\\?variant=zh-HK$`));
  });
});

test('a form on another site cannot post a report', async ({ page, baseURL }) => {
  // A page of another origin (about:blank's: Origin null) with a form aimed at the portal.
  await page.setContent(
    `<form method="post" action="${baseURL}/report"><input name="article" value="mz-fzyjzx-gzdt-20220512-01">` +
      `<input name="description" value="forged"><button>go</button></form>`,
  );
  const [response] = await Promise.all([page.waitForResponse(`${baseURL}/report`), page.locator('button').click()]);
  expect(response.status()).toBe(403);
  await expect(page.locator('body')).toContainText('请从本站的文章页提交纠错');
});

test('a 100 KB body is refused, and the eleventh report in an hour gets 429', async ({ request, baseURL }) => {
  const headers = {
    origin: baseURL!,
    'content-type': 'application/x-www-form-urlencoded',
    // Behind the test's loopback connection, the forwarded address is the client: a bucket of
    // this run's own, so a repeated run starts afresh.
    'x-forwarded-for': `2001:db8::${Date.now().toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`,
  };
  const big = await request.post('/report', {
    headers,
    data: `article=mz-fzyjzx-gzdt-20220512-01&description=${'x'.repeat(100 * 1024)}`,
  });
  expect(big.status()).toBe(413);
  for (let i = 1; i <= 10; i++) {
    const ok = await request.post('/report', {
      headers: { ...headers, accept: 'application/json' },
      data: `article=mz-fzyjzx-gzdt-20220512-01&description=${i}`,
    });
    expect(ok.status(), `report ${i}`).toBe(201);
  }
  const eleventh = await request.post('/report', { headers, data: 'article=mz-fzyjzx-gzdt-20220512-01&description=11' });
  expect(eleventh.status()).toBe(429);
  expect(eleventh.headers()['retry-after']).toBe('3600');
  expect(await eleventh.text()).toContain('提交过于频繁');
});

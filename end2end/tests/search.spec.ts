import { expect, test } from './fixtures';
import { hydrated, SEED_PATH, watchConsole } from './helpers';

test('the header search finds an article typed in Traditional, in place, and Back returns', async ({ page, context, baseURL }) => {
  const problems = watchConsole(page);
  await context.addCookies([{ name: 'reader', value: 'zh-TW.large.high', url: baseURL! }]);
  const documents: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'document') documents.push(r.url());
  });
  await page.goto('/');
  await hydrated(page);
  const home = await page.getByRole('heading', { level: 1 }).textContent();

  // Typed in Traditional (the original's own wrong form folds the same), found, marked in zh-TW.
  const box = page.getByRole('searchbox');
  await box.fill('修複工程');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=%E4%BF%AE/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('修複工程');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  const first = page.locator('.search-results li').first();
  await expect(first.locator('a.search-title')).toHaveAttribute('href', SEED_PATH);
  await expect(first.locator('.snippet mark')).toHaveText(['修復工程']);
  await expect(box).toHaveValue('修複工程');
  expect(documents).toHaveLength(1);

  // The same address rendered by the server lists the same articles.
  const served = await (await page.request.get(page.url())).text();
  expect(served).toContain(`href="${SEED_PATH}"`);
  expect(served).toContain('<mark>修復工程</mark>');

  // A two-character word in Simplified, then Back to the first results, then home.
  await box.fill('干部');
  await box.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('干部');
  await expect(page.locator('.search-results li').first().locator('mark').first()).toHaveText('幹部');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('修複工程');
  await expect(box).toHaveValue('修複工程');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(home!);
  expect(documents).toHaveLength(1);
  expect(problems).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the search form is a plain GET form and results are whole pages', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('searchbox').fill('乾淨');
    await page.getByRole('button', { name: '搜索' }).click();
    await expect(page).toHaveURL(/\/search\?q=/);
    await expect(page.locator('.search-results a.search-title').first()).toHaveAttribute('href', SEED_PATH);
    await expect(page.locator('.search-results mark').first()).toHaveText('干净');
  });
});

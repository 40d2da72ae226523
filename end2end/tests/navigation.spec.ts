import { expect, test } from './fixtures';
import { hydrated, SEED_PATH, SEED_TITLE, watchConsole } from './helpers';
import type { Page } from '@playwright/test';

/** What a page shows that a document load would have set: heading, title, lang, canonical. */
async function expectPage(page: Page, h1: string | RegExp, lang: string) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(h1);
  await expect(page).toHaveTitle(typeof h1 === 'string' ? new RegExp(escape(h1)) : h1);
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  const canonical = page.locator('link[rel="canonical"]');
  await expect(canonical).toHaveCount(1);
  const url = new URL(page.url());
  const want = new URL(await canonical.getAttribute('href') ?? '');
  expect(want.pathname).toBe(url.pathname);
  await expect(page.locator('title')).toHaveCount(1);
  await expect(page.locator('meta[name="description"]')).toHaveCount(1);
}

function escape(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const views = async (page: Page, id: string) =>
  (await (await page.request.get(`/api/articles/${id}`)).json()).view_count as number;

for (const [variant, size, contrast] of [
  ['zh-Hans', 'medium', 'default'],
  ['zh-HK', 'x-large', 'inverted'],
] as const) {
  test(`a walk through the site loads one document (${variant}, ${size}, ${contrast})`, async ({ page, context, baseURL }) => {
    const problems = watchConsole(page);
    await context.addCookies([{ name: 'reader', value: `${variant}.${size}.${contrast}`, url: baseURL! }]);
    const documents: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'document') documents.push(r.url());
    });

    await page.goto('/');
    await hydrated(page);
    const h1Home = await page.getByRole('heading', { level: 1 }).textContent();
    await expectPage(page, h1Home!, variant);
    await expect(page.locator('html')).toHaveAttribute('data-font-size', size);
    await expect(page.locator('html')).toHaveAttribute('data-contrast', contrast);

    // Home → channel.
    const channel = page.locator('.channel-box h3 a').first();
    const channelName = (await channel.textContent())!;
    await channel.click();
    await expect(page).toHaveURL(/\/channels\/gzdt$/);
    await expectPage(page, channelName, variant);
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused();

    // Channel → page 2, scrolled down first so Back has something to restore.
    await page.mouse.wheel(0, 400);
    await page.waitForFunction(() => window.scrollY > 0);
    const scrolled = await page.evaluate(() => window.scrollY);
    await page.locator('.pager a[rel="next"]').click();
    await expect(page).toHaveURL(/\/channels\/gzdt\?after=/);
    await expectPage(page, channelName, variant);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);

    // Page 2 → an article → its next one.
    const first = page.locator('.channel-list li a').first();
    const firstTitle = (await first.textContent())!;
    const firstId = (await first.getAttribute('href'))!.split('/').pop()!.split('?')[0];
    const before = await views(page, firstId);
    await first.click();
    await expect(page).toHaveURL(new RegExp(`/articles/${firstId}$`));
    await expectPage(page, firstTitle, variant);
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
    await expect(page.locator('[data-pref="font-size"][data-value="' + size + '"]').first()).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('[data-pref="variant"][data-value="' + variant + '"]').first()).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => views(page, firstId)).toBe(before + 1);
    const next = page.locator('.prev-next a').last();
    const nextTitle = (await next.textContent())!;
    const nextId = (await next.getAttribute('href'))!.split('/').pop()!.split('?')[0];
    const beforeNext = await views(page, nextId);
    await next.click();
    await expect(page).toHaveURL(new RegExp(`/articles/${nextId}$`));
    await expectPage(page, nextTitle, variant);
    await expect.poll(() => views(page, nextId)).toBe(beforeNext + 1);

    // Back ×4: article, page 2, channel (scroll restored), home.
    await page.goBack();
    await expectPage(page, firstTitle, variant);
    // Back shows the article anew, fetched again: a visit, counted once more.
    await expect.poll(() => views(page, firstId)).toBe(before + 2);
    await page.goBack();
    await expect(page).toHaveURL(/\/channels\/gzdt\?after=/);
    await page.goBack();
    await expect(page).toHaveURL(/\/channels\/gzdt$/);
    await expectPage(page, channelName, variant);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(scrolled);
    await page.goBack();
    await expectPage(page, h1Home!, variant);
    // Forward to the channel.
    await page.goForward();
    await expectPage(page, channelName, variant);

    expect(documents, 'document requests').toHaveLength(1);
    // A variant switch is not a visit.
    await page.goto(`/articles/${nextId}`);
    const afterLoad = await views(page, nextId);
    await hydrated(page);
    const other = variant === 'zh-Hans' ? 'zh-Hant' : 'zh-Hans';
    await page.locator(`[data-pref="variant"][data-value="${other}"]`).first().click();
    await expect(page.locator('html')).toHaveAttribute('lang', other);
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(nextTitle);
    expect(await views(page, nextId)).toBe(afterLoad);
    expect(problems).toEqual([]);
  });
}

test('a 404 reached by navigation shows the 404 page', async ({ page }) => {
  await page.goto(SEED_PATH);
  await hydrated(page);
  const documents: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'document') documents.push(r.url());
  });
  await page.evaluate(() => {
    const a = document.createElement('a');
    a.href = '/articles/no-such-article';
    a.textContent = 'gone';
    a.id = 'gone';
    document.querySelector('main')!.append(a);
  });
  await page.locator('#gone').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在');
  await expect(page).toHaveTitle(/页面不存在/);
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', 'noindex');
  expect(documents).toEqual([]);
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_TITLE);
});

test('the first load fetches this page\'s chunks only; pointing at a link prefetches its code and data, uncounted', async ({ page }) => {
  const problems = watchConsole(page);
  const fetched: { url: string; bytes: number; cache: string }[] = [];
  page.on('requestfinished', async (r) => {
    if (!r.url().includes('/pkg/')) return;
    const res = await r.response();
    fetched.push({ url: r.url(), bytes: (await r.sizes()).responseBodySize, cache: res?.headers()['cache-control'] ?? '' });
  });
  await page.goto(SEED_PATH);
  await hydrated(page);
  await page.waitForLoadState('networkidle');
  const wasm = fetched.filter((f) => f.url.endsWith('.wasm'));
  expect(wasm.some((f) => /split___article_route_view_/.test(f.url)), 'the article view chunk').toBe(true);
  expect(wasm.some((f) => /_(channel_route|home_page)_view_/.test(f.url)), 'no other page\'s chunk').toBe(false);
  for (const f of fetched) expect(f.cache, f.url).toContain('immutable');
  const code = fetched.filter((f) => !f.url.endsWith('.css')).reduce((n, f) => n + f.bytes, 0);
  console.log(
    `first load of an article page, wasm + js as transferred: ${(code / 1024).toFixed(1)} KB in ${fetched.length - 1} files: ` +
      fetched.map((f) => `${f.url.split('/').pop()} ${(f.bytes / 1024).toFixed(1)} KB`).join(', '),
  );

  // Pointing at the channel link fetches the channel's code and data; nothing is shown yet.
  const before = fetched.length;
  const data = page.waitForResponse((r) => r.url().includes('/_fn/channel'));
  await page.locator('.breadcrumb li:nth-child(3) a').hover();
  await data;
  await expect.poll(() => fetched.slice(before).some((f) => /split___channel_route_view_/.test(f.url))).toBe(true);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_TITLE);

  // Pointing at the next article prefetches it without counting a view; the click counts one.
  const next = page.locator('.prev-next a').last();
  const nextId = (await next.getAttribute('href'))!.split('/').pop()!.split('?')[0];
  const viewsBefore = await views(page, nextId);
  const prefetched = page.waitForResponse((r) => r.url().includes('/_fn/article'));
  await next.focus();
  await prefetched;
  expect(await views(page, nextId)).toBe(viewsBefore);
  let articleFetches = 0;
  page.on('request', (r) => {
    if (r.url().includes('/_fn/article')) articleFetches++;
  });
  await next.click();
  await expect(page).toHaveURL(new RegExp(`/articles/${nextId}$`));
  await expect.poll(() => views(page, nextId)).toBe(viewsBefore + 1);
  await expect(page.locator('.view-count')).toHaveText(String(viewsBefore + 1));
  expect(articleFetches, 'the click used the prefetched article').toBe(0);
  expect(problems).toEqual([]);
});

/** Clicks the last 下一篇 link in the page and times it until `title` and its text are on screen. */
const clickNext = (page: Page, title: string) =>
  page.evaluate(async (title) => {
    const a = [...document.querySelectorAll('.prev-next a')].pop() as HTMLAnchorElement;
    const t0 = performance.now();
    const shown = new Promise<number>((resolve) => {
      const check = () => {
        const h1 = document.querySelector('main h1');
        if (h1?.textContent === title && document.querySelector('.article-body p')) {
          observer.disconnect();
          requestAnimationFrame(() => resolve(performance.now() - t0));
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    a.click();
    return shown;
  }, title);

/** Median of a list of numbers. */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('time from a click on an article link to its text on screen: with prefetch, without, and a document load', async ({ page }) => {
  test.setTimeout(120_000);
  const clicks = 20;
  // In place: the router fetches the article's data and renders it.
  await page.goto(SEED_PATH);
  await hydrated(page);
  // What the timed clicks asked of the network: no document, and no article data after a prefetch.
  let inPlaceDocuments = 0;
  let articleFetches = 0;
  const watch = (r: import('@playwright/test').Request) => {
    if (r.resourceType() === 'document') inPlaceDocuments++;
    if (r.url().includes('/_fn/article')) articleFetches++;
  };
  page.on('request', watch);
  const inPlace: number[] = [];
  for (let i = 0; i < clicks; i++) {
    const link = page.locator('.prev-next a').last();
    const title = (await link.textContent())!;
    const ms = await clickNext(page, title);
    inPlace.push(ms);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  }
  // With prefetch: the reader points at the link first (here until its data has arrived), as a
  // click with a mouse or a tap does; the click then renders from what was prefetched.
  const prefetched: number[] = [];
  for (let i = 0; i < clicks; i++) {
    const link = page.locator('.prev-next a').last();
    const title = (await link.textContent())!;
    const data = page.waitForResponse((r) => r.url().includes('/_fn/article'));
    await link.hover();
    await data;
    // Away, so the new page appearing under the pointer prefetches nothing by itself.
    await page.mouse.move(0, 0);
    const fetched = articleFetches;
    const ms = await clickNext(page, title);
    prefetched.push(ms);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    expect(articleFetches, 'the click showed the prefetched data').toBe(fetched);
  }
  page.off('request', watch);
  expect(inPlaceDocuments, 'every timed click was followed in place').toBe(0);
  // A document load: the same links followed by the browser itself (the router leaves links to
  // other documents alone), timed to the new page's first contentful paint.
  await page.goto(SEED_PATH);
  await hydrated(page);
  let documents = 0;
  page.on('request', (r) => {
    if (r.resourceType() === 'document') documents++;
  });
  const load: number[] = [];
  for (let i = 0; i < clicks; i++) {
    const title = (await page.locator('.prev-next a').last().textContent())!;
    const clickedAt = await page.evaluate(() => {
      const a = [...document.querySelectorAll('.prev-next a')].pop() as HTMLAnchorElement;
      a.setAttribute('rel', 'external');
      const at = performance.timeOrigin + performance.now();
      a.click();
      return at;
    });
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    const fcp = await page.evaluate(async () => {
      for (;;) {
        const e = performance.getEntriesByName('first-contentful-paint')[0];
        if (e) return performance.timeOrigin + e.startTime;
        await new Promise((r) => setTimeout(r, 10));
      }
    });
    load.push(fcp - clickedAt);
    await hydrated(page);
  }
  const [a, p, b] = [median(inPlace), median(prefetched), median(load)];
  console.log(
    `article link → text on screen, median of ${clicks} clicks: with prefetch ${p.toFixed(1)} ms, ` +
      `in place without prefetch ${a.toFixed(1)} ms, document load ${b.toFixed(1)} ms ` +
      `(${(b / p).toFixed(1)} × / ${(b / a).toFixed(1)} ×); with prefetch min ${Math.min(...prefetched).toFixed(1)} / max ${Math.max(...prefetched).toFixed(1)}`,
  );
  expect(documents, 'each timed load was a document load').toBe(clicks);
});

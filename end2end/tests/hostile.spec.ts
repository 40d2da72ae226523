import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { fieldForm, HOSTILE_FOOTER, HOSTILE_PORT, shortForm, vectors } from '../hostile';
import { hydrated, watchConsole } from './helpers';

// Every string of the corpus, in every imported field, on its article page, its channel page and
// the front page, in every variant: no dialog, no console error (a CSP violation is one), no
// request to another origin, and the string shown as text where it is text.
const base = `http://127.0.0.1:${HOSTILE_PORT}`;
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

function guard(page: Page) {
  const dialogs: string[] = [];
  const foreign: string[] = [];
  const problems = watchConsole(page);
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.protocol !== 'data:' && url.origin !== base) foreign.push(r.url());
  });
  return { dialogs, foreign, problems };
}

for (const variant of ['zh-Hans', 'zh-Hant', 'zh-TW', 'zh-HK']) {
  test(`hostile strings in every field stay text and run nothing (${variant})`, async ({ page }) => {
    test.setTimeout(300_000);
    expect(vectors.length).toBeGreaterThanOrEqual(50);
    const seen = guard(page);
    for (let i = 1; i <= vectors.length; i++) {
      const v = norm(vectors[i - 1]);
      const res = await page.goto(`${base}/articles/hostile-${i}?variant=${variant}`);
      expect(res?.status(), `article ${i}`).toBe(200);
      await hydrated(page);
      expect(norm(await page.locator('h1').innerText()), `title ${i}`).toContain(v);
      expect(norm(await page.title()), `<title> ${i}`).toContain(v);
      expect(norm(await page.locator('.subtitle').innerText()), `subtitle ${i}`).toContain(v);
      const meta = norm(await page.locator('.meta').innerText());
      expect(meta.split(v).length - 1, `source and author ${i}`).toBeGreaterThanOrEqual(2);
      const trail = norm(await page.locator('.breadcrumb').innerText());
      const short = norm(shortForm(vectors[i - 1]));
      expect(trail.split(short).length - 1, `site, department, channel ${i}`).toBeGreaterThanOrEqual(3);
      expect(await page.locator('.article-body script, .article-body iframe, .article-body object').count()).toBe(0);
      const field = (max: number) => norm(fieldForm(vectors[i - 1], i, max));
      expect(norm(await page.locator('.gov-info').innerText()), `metadata ${i}`).toContain(field(60));
      expect(norm(await page.locator('.attachments').innerText()), `attachment ${i}`).toContain(field(200));
      expect(norm(await page.locator('.related').innerText()), `related link ${i}`).toContain(field(300));
      if (i === 1) {
        const footer = norm(await page.locator('.site-footer').innerText());
        expect(footer).toContain(norm(HOSTILE_FOOTER.SITE_SPONSOR));
        expect(footer).toContain(norm(HOSTILE_FOOTER.SITE_CONTACT));
      }
      if (i % 10 === 1) {
        const res = await page.goto(`${base}/channels/hostile-${i}?variant=${variant}`);
        expect(res?.status(), `channel ${i}`).toBe(200);
        await hydrated(page);
        expect(norm(await page.locator('h1').innerText())).toContain(short);
      }
    }
    const res = await page.goto(`${base}/?variant=${variant}`);
    expect(res?.status()).toBe(200);
    await hydrated(page);
    const front = norm(await page.locator('main').innerText());
    // The front page is the portal's (the first site's): its department, channel and article.
    expect(front.split(norm(shortForm(vectors[0]))).length - 1).toBeGreaterThanOrEqual(3);
    expect(seen.dialogs).toEqual([]);
    // `<img src=x>` in a body stays (a relative URL is the portal's own) and is a 404 there; any
    // other console error or warning fails the test.
    const missing = /^error: Failed to load resource: the server responded with a status of 404/;
    expect(seen.problems.filter((p) => !missing.test(p))).toEqual([]);
    expect(seen.foreign).toEqual([]);
  });
}

// Search echoes the reader's query (heading, <title>, the box) and shows imported text in its
// results and snippets, from the server and in place; feeds and the sitemap carry it as XML.
const TITLE_WORD: Record<string, string> = { 'zh-Hans': '标题' };
const noBreaks = (s: string) => norm(s.replace(/[\r\n]+/g, ''));

for (const variant of ['zh-Hans', 'zh-Hant', 'zh-TW', 'zh-HK']) {
  test(`hostile queries and hostile results in search stay text (${variant})`, async ({ page }) => {
    test.setTimeout(300_000);
    const seen = guard(page);
    // Each string as the query of a page the server renders.
    for (const v of vectors) {
      const res = await page.goto(`${base}/search?q=${encodeURIComponent(v)}&variant=${variant}`);
      expect(res?.status(), v).toBe(200);
      await hydrated(page);
      expect(norm(await page.locator('h1').innerText()), v).toContain(norm(v));
      expect(norm(await page.title()), v).toContain(norm(v));
      // A search box drops line breaks from its value.
      expect(noBreaks(await page.getByRole('searchbox').inputValue()), v).toBe(noBreaks(v));
      // The toolbar's forms (HTML written by the app) bring a reader without JavaScript back
      // to this address, as text.
      const here = new URL(page.url());
      const backs = await page.locator('.toolbar input[name="back"]').all();
      expect(backs.length).toBe(8);
      for (const back of backs) {
        expect(await back.inputValue(), v).toBe(here.pathname + here.search);
      }
    }
    // Some of them typed into the box: results fetched as data and rendered in place.
    const documents: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'document') documents.push(r.url());
    });
    for (const v of vectors.filter((v, n) => n % 6 === 0 && !v.includes('\n'))) {
      // Filled again if the box lost text meanwhile: a box replaced as the last results came in
      // can take only part of a fill (seen once in about 30 runs; this test is about the text).
      const box = page.getByRole('searchbox');
      await expect(async () => {
        await box.fill(v);
        expect(await box.inputValue()).toBe(v);
      }).toPass({ timeout: 10_000 });
      const typed = await box.inputValue();
      await page.getByRole('searchbox').press('Enter');
      // On a miss, where the app went and what the box held say which side lost the text.
      const said = async () =>
        `${v} (typed: ${typed}; at: ${decodeURIComponent(page.url())}; box: ${await page.getByRole('searchbox').inputValue()})`;
      await expect
        .poll(async () => norm(await page.locator('h1').innerText()), { message: v })
        .toContain(norm(v))
        .catch(async (e) => {
          throw new Error(`${await said()}\n${e}`);
        });
    }
    expect(documents).toEqual([]);
    // Every article's title word: all of them, page after page in place, each title as text.
    await page.goto(`${base}/search?q=${encodeURIComponent('标题')}&variant=${variant}`);
    await hydrated(page);
    const word = TITLE_WORD[variant] ?? '標題';
    const titles: string[] = [];
    const first = () => page.locator('.search-results a.search-title').first().innerText();
    for (;;) {
      await expect(page.locator('.search-results li').first()).toBeVisible();
      titles.push(...(await page.locator('.search-results a.search-title').allInnerTexts()).map(norm));
      const next = page.locator('.pager a[rel=next]');
      if ((await next.count()) === 0) break;
      const before = await first();
      await next.click();
      await expect.poll(first).not.toBe(before);
    }
    expect(titles).toHaveLength(vectors.length);
    vectors.forEach((v, n) => expect(titles, `title ${n + 1}`).toContain(norm(`${word}${n + 1} ${v}`)));
    expect(await page.locator('.search-results mark').first().innerText()).toBe(word);
    // Snippets of every body.
    await page.goto(`${base}/search?q=${encodeURIComponent('正文')}&variant=${variant}`);
    await hydrated(page);
    await expect(page.locator('.search-results .snippet mark').first()).toBeVisible();
    expect(documents.length).toBe(2);
    expect(seen.dialogs).toEqual([]);
    expect(seen.problems).toEqual([]);
    expect(seen.foreign).toEqual([]);
  });
}

test('hostile strings in feeds and the sitemap parse as XML and read back as the same text', async ({ page }) => {
  test.setTimeout(300_000);
  const seen = guard(page);
  await page.goto(`${base}/`);
  const readFeed = (xml: string) =>
    page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const atom = 'http://www.w3.org/2005/Atom';
      const child = (e: Element, name: string) => e.getElementsByTagNameNS(atom, name)[0];
      return {
        errors: doc.getElementsByTagName('parsererror').length,
        scripts: doc.getElementsByTagName('script').length,
        title: child(doc.documentElement, 'title')?.textContent ?? '',
        entries: [...doc.getElementsByTagNameNS(atom, 'entry')].map((e) => ({
          title: child(e, 'title')?.textContent ?? '',
          author: child(child(e, 'author'), 'name')?.textContent ?? '',
          link: child(e, 'link')?.getAttribute('href') ?? '',
          category: child(e, 'category')?.getAttribute('label') ?? '',
          content: child(e, 'content')?.textContent ?? '',
          // The body, read as the HTML it is: anything that could run?
          unsafe: (() => {
            const body = new DOMParser().parseFromString(child(e, 'content')?.textContent ?? '', 'text/html').body;
            const all = [...body.querySelectorAll('*')];
            return all.filter(
              (el) =>
                ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE'].includes(el.tagName) ||
                [...el.attributes].some((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)),
            ).length;
          })(),
        })),
      };
    }, xml);
  for (const variant of ['zh-Hans', 'zh-Hant', 'zh-TW', 'zh-HK']) {
    for (let i = 1; i <= vectors.length; i++) {
      const v = vectors[i - 1];
      const res = await page.request.get(`${base}/feeds/channels/hostile-${i}?variant=${variant}`);
      expect(res.status(), `feed ${i}`).toBe(200);
      expect(res.headers()['content-type']).toBe('application/atom+xml; charset=utf-8');
      const feed = await readFeed(await res.text());
      expect(feed.errors, `feed ${i} ${variant}`).toBe(0);
      expect(feed.scripts).toBe(0);
      // Names are kept on one line.
      expect(norm(feed.title)).toContain(norm(shortForm(v)));
      expect(feed.entries).toHaveLength(1);
      const [entry] = feed.entries;
      // Exact text: XML keeps what HTML collapses.
      expect(entry.title.endsWith(` ${v.trim()}`), `title ${i} ${variant}`).toBe(true);
      expect(entry.author).toBe(v.trim());
      expect(norm(entry.category)).toContain(norm(shortForm(v)));
      expect(entry.link).toMatch(new RegExp(`/articles/hostile-${i}(\\?variant=${variant})?$`));
      expect(entry.content).toContain(`<p>正文${i}</p>`);
      expect(entry.unsafe, `content ${i} ${variant}`).toBe(0);
    }
    const site = await readFeed(await (await page.request.get(`${base}/feeds/site?variant=${variant}`)).text());
    expect(site.errors).toBe(0);
    expect(site.entries.length).toBeGreaterThan(0);
  }
  // Shown by the browser itself (its XML viewer), a feed runs nothing.
  for (let i = 1; i <= vectors.length; i += 10) {
    const res = await page.goto(`${base}/feeds/channels/hostile-${i}`);
    expect(res?.status()).toBe(200);
  }
  const sitemap = await page.request.get(`${base}/sitemap.xml`);
  expect(sitemap.status()).toBe(200);
  const urls = await page.evaluate((xml) => {
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    if (doc.getElementsByTagName('parsererror').length) return null;
    return [...doc.getElementsByTagNameNS('http://www.sitemaps.org/schemas/sitemap/0.9', 'loc')].map((l) => l.textContent ?? '');
  }, await sitemap.text());
  expect(urls).not.toBeNull();
  for (let i = 1; i <= vectors.length; i++) {
    expect(urls!.filter((u) => new URL(u).pathname === `/articles/hostile-${i}`).length, `sitemap ${i}`).toBe(4);
  }
  expect(seen.dialogs).toEqual([]);
  const missing = /^error: Failed to load resource: the server responded with a status of 404/;
  expect(seen.problems.filter((p) => !missing.test(p))).toEqual([]);
  expect(seen.foreign).toEqual([]);
});

import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { HOSTILE_PORT, shortForm, vectors } from '../hostile';
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

import { expect, test } from './fixtures';
import { SEED_PATH } from './helpers';

// A first load on a slow phone, measured through the DevTools protocol: 4 × CPU slowdown and a
// 1.6 Mbps / 150 ms network. The app sets two marks: `portal:shell` when the shell (router,
// preferences) has hydrated, `portal:hydrated` when the page's own view has (its lazy chunk run;
// `<html data-hydrated>` is set then). Printed, not asserted: a measurement, not a timed test.

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const [name, path] of [
  ['article', SEED_PATH],
  ['channel', '/channels/gzdt'],
  ['front page', '/'],
] as const) {
  test(`first load on a slow phone: navigation start to hydrated (${name})`, async ({ browser }) => {
    test.setTimeout(120_000);
    const shell: number[] = [];
    const page_: number[] = [];
    const fcp: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // A fresh context: nothing cached.
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
      const marks = await page.evaluate(() => {
        const at = (n: string) => performance.getEntriesByName(n)[0]?.startTime ?? null;
        return { shell: at('portal:shell'), page: at('portal:hydrated'), fcp: at('first-contentful-paint') };
      });
      expect(marks.shell, 'the shell mark').not.toBeNull();
      expect(marks.page, 'the page mark').not.toBeNull();
      expect(marks.page!).toBeGreaterThanOrEqual(marks.shell!);
      shell.push(marks.shell!);
      page_.push(marks.page!);
      if (marks.fcp !== null) fcp.push(marks.fcp);
      await context.close();
    }
    const gaps = page_.map((p, i) => p - shell[i]);
    console.log(
      `slow phone, ${name}, median of ${RUNS}: first paint ${median(fcp).toFixed(0)} ms, ` +
        `shell hydrated ${median(shell).toFixed(0)} ms, page hydrated ${median(page_).toFixed(0)} ms ` +
        `(page after shell: median ${median(gaps).toFixed(0)} ms, max ${Math.max(...gaps).toFixed(0)} ms)`,
    );
  });
}

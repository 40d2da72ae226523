import { test as base, expect } from '@playwright/test';

// Every browser test runs under the server's Content-Security-Policy and fails on any violation:
// the browser's own console report, or a `securitypolicyviolation` event in any page.
export const test = base.extend<{ cspGuard: void }>({
  cspGuard: [
    async ({ context }, use) => {
      const violations: string[] = [];
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) =>
          console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
        );
      });
      context.on('console', (msg) => {
        const text = msg.text();
        if (text.includes('Content Security Policy') || text.startsWith('CSP violation')) violations.push(text);
      });
      await use();
      expect(violations, 'CSP violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

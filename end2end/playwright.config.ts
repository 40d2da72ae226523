import { defineConfig } from '@playwright/test';
import * as path from 'node:path';
import { chromium } from './chromium';

// The tests run the release binary alone in an empty folder (serve.sh), as a deployer would.
const port = Number(process.env.PORTAL_PORT || 3210);

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromium,
  },
  webServer: {
    command: path.join(__dirname, 'serve.sh'),
    // SIGTERM lets the server finish and serve.sh remove its folder.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5000 },
    env: { LEPTOS_SITE_ADDR: `127.0.0.1:${port}`, RUST_LOG: 'warn' },
    url: `http://127.0.0.1:${port}/`,
    timeout: 30_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});

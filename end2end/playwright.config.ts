import { defineConfig } from '@playwright/test';
import * as path from 'node:path';
import { chromium } from './chromium';
import { HOSTILE_PORT, writeHostileJsonl } from './hostile';

// The tests run the release binary alone in an empty folder (serve.sh), as a deployer would: one
// server with the demo content, and one holding only the hostile corpus.
const port = Number(process.env.PORTAL_PORT || 3210);

const server = (port: number, env: Record<string, string> = {}) => ({
  command: path.join(__dirname, 'serve.sh'),
  // SIGTERM lets the server finish and serve.sh remove its folder.
  gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5000 },
  env: { LEPTOS_SITE_ADDR: `127.0.0.1:${port}`, RUST_LOG: 'warn', ...env },
  url: `http://127.0.0.1:${port}/`,
  timeout: 30_000,
  reuseExistingServer: false,
  stdout: 'pipe' as const,
  stderr: 'pipe' as const,
});

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
  webServer: [server(port), server(HOSTILE_PORT, { PORTAL_IMPORT: writeHostileJsonl() })],
});

import { defineConfig } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The tests run the release binary alone in an empty folder, as a deployer would.
const port = Number(process.env.PORTAL_PORT || 3210);
const bin = path.resolve(process.env.PORTAL_BIN || path.join(__dirname, '../target/release/server'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-e2e-'));
fs.copyFileSync(bin, path.join(dir, 'server'));
fs.chmodSync(path.join(dir, 'server'), 0o755);

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: './server',
    cwd: dir,
    env: { LEPTOS_SITE_ADDR: `127.0.0.1:${port}`, RUST_LOG: 'warn' },
    url: `http://127.0.0.1:${port}/`,
    timeout: 30_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});

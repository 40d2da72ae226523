import { defineConfig } from '@playwright/test';
import * as path from 'node:path';
import { chromium } from './chromium';
import { HOSTILE_FOOTER, HOSTILE_PORT, writeHostileJsonl } from './hostile';

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

/** A deployer's footer, every part set (the main server's pages carry all of it). */
export const FOOTER = {
  SITE_SPONSOR: '梅州市人民政府办公室',
  SITE_ORGANIZER: '梅州市政务服务数据管理局',
  SITE_CONTACT: '电话：0753-2188000　邮箱：mzsz@meizhou.gov.cn',
  SITE_CODE: '4414000048',
  SITE_ICP: '粤ICP备05080342号',
  SITE_POLICE: '粤公网安备 44140202000123号',
  SITE_GOV_MARK: 'https://bszs.conac.cn/sitename?method=show&id=072A6E0D1EE5D2E5E053012819AC6E3B',
  SITE_PRIVACY: '/accessibility',
};

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
  webServer: [server(port, FOOTER), server(HOSTILE_PORT, { PORTAL_IMPORT: writeHostileJsonl(), ...HOSTILE_FOOTER })],
});

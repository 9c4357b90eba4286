import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, findChromium } from './e2e/support/chromium.mjs'

// Debian's Chromium, not Playwright's download (which cannot run here) and not
// devices['Desktop Chrome'], which fakes the user agent the tag reads.
const executablePath = findChromium()

export default defineConfig({
  forbidOnly: true,
  retries: 0,
  workers: 2,
  fullyParallel: true,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: 'list',
  outputDir: 'test-results',
  projects: [
    {
      name: 'unit',
      testDir: '.',
      testMatch: ['src/**/*.test.ts', 'e2e/server/**/*.test.ts'],
    },
    {
      name: 'e2e',
      testDir: 'e2e',
      testMatch: '**/*.spec.ts',
      use: {
        browserName: 'chromium',
        launchOptions: {
          ...(executablePath ? { executablePath } : {}),
          args: CHROMIUM_ARGS,
        },
        trace: 'retain-on-failure',
      },
    },
  ],
})

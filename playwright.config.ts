import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, findChromium } from './e2e/support/browsers.mjs'
import type { EngineName } from './e2e/engines/driver.ts'

// Debian's Chromium, not Playwright's download (which cannot run here) and not
// devices['Desktop Chrome'], which fakes the user agent the tag reads.
const executablePath = findChromium()

/** The cross-engine scenarios, written once (e2e/engines/), as one project per engine. */
const engine = (name: EngineName, testMatch: string | string[] = '**/*.scenario.ts') => ({
  name,
  testDir: 'e2e/engines',
  testMatch,
  use: { engineName: name },
})

export default defineConfig<{ engineName: EngineName }>({
  forbidOnly: true,
  retries: 0,
  workers: 2,
  fullyParallel: true,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list'], ['./e2e/support/engine-report.ts']],
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
        // Traces cost about a tenth of the suite's time: `TRACE=1 npx playwright test …` records them for failures.
        trace: process.env.TRACE ? 'retain-on-failure' : 'off',
      },
    },
    // On Chromium, only what the Chromium suite (e2e/*.spec.ts) does not already do: real taps on a
    // touch screen, and each format's right-to-left geometry. The others would run the same flows twice.
    engine('chromium', ['**/touch.scenario.ts', '**/rtl.scenario.ts']),
    engine('firefox'),
    engine('webkit'),
  ],
})

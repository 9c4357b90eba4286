import type { Page } from '@playwright/test'

/** An origin a hostile page points the tag at: nothing the tag sends or runs may come from it. */
export const ATTACKER = 'http://attacker.test'

/** Serves `ATTACKER` (a script that marks the page as owned) and records every request made to it. */
export async function attacker(page: Page) {
  const requests: string[] = []
  await page.route(`${ATTACKER}/**`, (route) => {
    requests.push(route.request().url())
    return route.fulfill({ contentType: 'text/javascript', body: 'window.__pwned = 1', headers: { 'Access-Control-Allow-Origin': '*' } })
  })
  return requests
}

import { isDeepStrictEqual } from 'node:util'
import type { Page } from '@playwright/test'
import { test, expect, waitForEvent, waitForRequests, fired, ACCOUNT, APP } from './support/fixtures.ts'
import { allowedBy, runTemplate, sandboxApis, templateSections, updateConsent, type ConsentMode } from './support/gtm.ts'

// The Google Tag Manager Community Template (public/gtm/template.tpl): a file GTM's template editor
// imports, whose sandboxed code, run against the documented sandbox APIs under its own
// permissions, installs the built tag in a real page and maps consent mode to `lpTag.consent`;
// and its own ___TESTS___ scenarios, run as GTM's test runner runs them.

const sections = templateSections()
const PLACEHOLDER_URL = 'https://tags.example.com/lp-tag/tag.js'

test.describe('the template file', () => {
  test('has the sections GTM imports, in order, each of valid JSON where GTM expects JSON', () => {
    expect(Object.keys(sections)).toEqual(['TERMS_OF_SERVICE', 'INFO', 'TEMPLATE_PARAMETERS', 'SANDBOXED_JS_FOR_WEB_TEMPLATE', 'WEB_PERMISSIONS', 'TESTS', 'NOTES'])
    const info = JSON.parse(sections.INFO!)
    expect(info).toMatchObject({ type: 'TAG', id: 'cvt_temp_public_id', containerContexts: ['WEB'] })
    const fields = JSON.parse(sections.TEMPLATE_PARAMETERS!).map((field: { name: string }) => field.name)
    expect(fields).toEqual(['tagUrl', 'account', 'app', 'domain', 'sections', 'catalogUrl', 'format', 'consentType'])
    const consentField = JSON.parse(sections.TEMPLATE_PARAMETERS!).find((field: { name: string }) => field.name === 'consentType')
    expect(consentField.defaultValue).toBe('functionality_storage')
  })

  test('asks the least it needs: lpTag and nothing else of window, the tag\'s URL only, consent read only', () => {
    const allowed = allowedBy(sections.WEB_PERMISSIONS!)
    expect(allowed.ids).toEqual(['access_globals', 'inject_script', 'access_consent'])
    // Written: the pre-load object and its fields; read: only whether the tag has loaded; called: only lpTag.consent.
    const rules = Object.fromEntries(Object.entries(allowed.globals).map(([key, rule]) => [key, (rule.read ? 'r' : '') + (rule.write ? 'w' : '') + (rule.execute ? 'x' : '')]))
    expect(rules).toEqual({
      lpTag: 'w', 'lpTag.site': 'w', 'lpTag.app': 'w', 'lpTag.domain': 'w', 'lpTag.section': 'w', 'lpTag.engagements': 'w', 'lpTag.format': 'w',
      'lpTag.consent': 'wx', 'lpTag.loaded': 'r',
    })
    expect(allowed.scripts).toEqual([PLACEHOLDER_URL])
    expect(Object.values(allowed.consent).every((rule) => rule.read && !rule.write)).toBe(true)
    // Every API the code requires is one the harness implements (and so one its permissions govern).
    const required = [...sections.SANDBOXED_JS_FOR_WEB_TEMPLATE!.matchAll(/require\('(\w+)'\)/g)].map((match) => match[1])
    const implemented = Object.keys(sandboxApis({}, allowed, { state: {}, listeners: [] }))
    expect(required.filter((name) => !implemented.includes(name!))).toEqual([])
  })

  test('its ___TESTS___ scenarios pass, run as GTM runs them (setup, mock, runCode, assertApi, assertThat)', () => {
    const { scenarios, setup } = parseTests(sections.TESTS!)
    expect(scenarios.length).toBeGreaterThanOrEqual(4)
    for (const scenario of scenarios) runScenario(scenario.name, setup + '\n' + scenario.code)
  })
})

test.describe('the template in a page, with the built tag', () => {
  test('consent granted: the pre-load object configures the tag (sections, format), one script, the request goes', async ({ page, emulator, site, openTagPage }) => {
    await openTagPage({ noTag: true, body: '<main><h1>Shop</h1></main>' })
    await installHarness(page, site.url, emulator.url, { functionality_storage: 'granted' })
    expect(await runInPage(page, { sections: 'sales, shop', format: 'toaster' })).toEqual({ outcome: 'success', error: undefined })
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.path).toBe(`/api/account/${ACCOUNT}/app/${APP}/engagement`)
    expect(request!.body.entryPoints).toEqual(expect.arrayContaining(['sec://sales', 'sec://shop']))
    const [ready] = await waitForEvent(page, 'LP_TAG', 'READY')
    expect(ready!.data.sources).toEqual(expect.objectContaining({ account: 'preload', app: 'preload', domain: 'preload', consent: 'preload' }))
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    expect(await page.locator('[data-lp-engagement]').getAttribute('data-lp-format')).toBe('toaster')
    // Fired again (a history-change trigger): no second script, no second flow.
    expect(await runInPage(page, {})).toEqual({ outcome: 'success', error: undefined })
    expect(await page.locator('script[src$="/tag.js"]').count()).toBe(1)
    expect(await fired(page, 'LP_TAG', 'READY')).toHaveLength(1)
  })

  test('consent denied: the tag loads but sends and stores nothing; granted later: it goes; withdrawn: ids erased, offer removed', async ({ page, emulator, site, openTagPage }) => {
    await openTagPage({ noTag: true })
    await installHarness(page, site.url, emulator.url, { functionality_storage: 'denied' })
    expect(await runInPage(page, {})).toEqual({ outcome: 'success', error: undefined })
    await waitForEvent(page, 'LP_TAG', 'READY')
    expect(await page.evaluate(() => (window as any).lpTag.getEngagement().then((r: any) => r.error?.code))).toBe('consent')
    expect(emulator.received('engagement')).toEqual([])
    expect(await databases(page)).toEqual([])
    await page.evaluate(() => (window as any).__gtm.update({ functionality_storage: 'granted' }))
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await expect.poll(() => databases(page)).toEqual(['lp-tag'])
    await page.evaluate(() => (window as any).__gtm.update({ functionality_storage: 'denied' }))
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    await expect.poll(() => databases(page)).toEqual([])
    expect(emulator.received('engagement')).toHaveLength(1)
  })

  test('consent granted between the template and the tag\'s load: the tag starts granted', async ({ page, emulator, site, openTagPage }) => {
    await openTagPage({ noTag: true })
    await installHarness(page, site.url, emulator.url, { functionality_storage: 'denied' })
    // In one task: the tag's script cannot have run yet.
    const before = await page.evaluate((code) => {
      const gtm = (window as any).__gtm
      gtm.run(code, gtm.data({}))
      gtm.update({ functionality_storage: 'granted' })
      return { loaded: (window as any).lpTag.loaded, consent: (window as any).lpTag.consent }
    }, sections.SANDBOXED_JS_FOR_WEB_TEMPLATE!)
    expect(before).toEqual({ loaded: undefined, consent: 'granted' })
    await waitForRequests(emulator, 1)
  })

  test('consent denied when the tag fires: the ids an earlier page view stored are erased once the tag has loaded', async ({ page, emulator, site, openTagPage }) => {
    await openTagPage({ noTag: true })
    await installHarness(page, site.url, emulator.url, { functionality_storage: 'granted' })
    await runInPage(page, {})
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await expect.poll(() => databases(page)).toEqual(['lp-tag'])
    // The next page view: the visitor has withdrawn meanwhile (on a page without the tag).
    await openTagPage({ noTag: true })
    await installHarness(page, site.url, emulator.url, { functionality_storage: 'denied' })
    expect(await runInPage(page, {})).toEqual({ outcome: 'success', error: undefined })
    await expect.poll(() => databases(page)).toEqual([])
    expect(emulator.received('engagement')).toHaveLength(1)
  })

  test('sections from a variable that gives a list: each one an entry point', async ({ page, emulator, site, openTagPage }) => {
    await openTagPage({ noTag: true })
    await installHarness(page, site.url, emulator.url, {})
    await page.evaluate((code) => {
      const gtm = (window as any).__gtm
      gtm.run(code, gtm.data({ sections: ['sales', 'shop'] }))
    }, sections.SANDBOXED_JS_FOR_WEB_TEMPLATE!)
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.body.entryPoints).toEqual(expect.arrayContaining(['sec://sales', 'sec://shop']))
  })

  test('a page that queued SDEs in its own lpTag keeps them: the template adds to the object, never replaces it', async ({ page, emulator, site, openTagPage }) => {
    await openTagPage({ noTag: true, head: `<script>window.lpTag = { sdes: [{ type: 'searchInfo', keywords: ['boots'] }] }</script>` })
    await installHarness(page, site.url, emulator.url, {})
    await runInPage(page, {})
    const [request] = await waitForRequests(emulator, 1)
    expect(JSON.stringify(request!.body)).toContain('boots')
  })

  test('its permissions hold: a tag URL other than the one allowed is not loaded, gtmOnFailure is', async ({ page, site, emulator, openTagPage }) => {
    await openTagPage({ noTag: true })
    await installHarness(page, site.url, emulator.url, {})
    const result = await runInPage(page, { tagUrl: `${site.url}/cdn/other/tag.js` })
    expect(result.error).toMatch(/Permission denied: inject_script/)
    expect(await page.locator('script[src$="tag.js"]').count()).toBe(0)
  })
})

/** The page's IndexedDB database names. */
const databases = (page: Page) => page.evaluate(() => indexedDB.databases().then((all) => all.map((db) => db.name)))

/**
 * Puts the harness in the page: the sandbox APIs under the template's permissions, with the tag URL
 * in `inject_script` set to this test site's `tag.js` (the edit a brand makes for its own URL), and
 * consent mode's defaults.
 */
async function installHarness(page: Page, siteUrl: string, apiOrigin: string, defaults: Record<string, 'granted' | 'denied'>) {
  const allowed = allowedBy(sections.WEB_PERMISSIONS!.replaceAll(PLACEHOLDER_URL, `${siteUrl}/tag.js`))
  await page.evaluate(
    `(() => {
      const sandboxApis = ${sandboxApis.toString()};
      const updateConsent = ${updateConsent.toString()};
      const runTemplate = ${runTemplate.toString()};
      const consent = { state: ${JSON.stringify(defaults)}, listeners: [] };
      const apis = sandboxApis(window, ${JSON.stringify(allowed)}, consent);
      window.__gtm = {
        update: (states) => updateConsent(consent, states),
        data: (fields) => ({
          tagUrl: ${JSON.stringify(`${siteUrl}/tag.js`)}, account: ${JSON.stringify(ACCOUNT)}, app: ${JSON.stringify(APP)},
          domain: ${JSON.stringify(apiOrigin)}, sections: '', catalogUrl: '', format: '', consentType: 'functionality_storage',
          gtmOnSuccess: () => { window.__gtm.outcome = 'success' },
          gtmOnFailure: () => { window.__gtm.outcome = 'failure' },
          ...fields,
        }),
        run: (code, data) => runTemplate(code, (name) => apis[name], data),
      };
    })()`,
  )
}

/** Runs the template's code in the page with `fields` over the defaults; its outcome once the tag has loaded (or the error it threw). */
async function runInPage(page: Page, fields: Record<string, string>) {
  return page.evaluate(
    async ([code, fields]) => {
      const gtm = (window as any).__gtm
      gtm.outcome = undefined
      try {
        gtm.run(code, gtm.data(fields))
      } catch (error) {
        return { outcome: gtm.outcome, error: String((error as Error).message) }
      }
      for (let waited = 0; !gtm.outcome && waited < 100; waited++) await new Promise((resolve) => requestAnimationFrame(resolve))
      return { outcome: gtm.outcome, error: undefined }
    },
    [sections.SANDBOXED_JS_FOR_WEB_TEMPLATE!, fields] as const,
  )
}

/** `___TESTS___` as GTM writes it: `scenarios:` of `- name:` and `code: |-`, then `setup: |-`. */
function parseTests(yaml: string) {
  const block = (lines: string[], from: number, indent: number) => {
    const out: string[] = []
    let i = from
    for (; i < lines.length && (lines[i]!.startsWith(' '.repeat(indent)) || lines[i]!.trim() === ''); i++) out.push(lines[i]!.slice(indent))
    return [out.join('\n'), i] as const
  }
  const lines = yaml.split('\n')
  const scenarios: { name: string; code: string }[] = []
  let setup = ''
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!
    const name = /^- name: (.*)$/.exec(line)
    if (name && lines[i + 1] === '  code: |-') {
      const [code, next] = block(lines, i + 2, 4)
      scenarios.push({ name: name[1]!, code })
      i = next
    } else if (line === 'setup: |-') {
      ;[setup, i] = block(lines, i + 1, 2)
    } else i++
  }
  return { scenarios, setup }
}

/**
 * One scenario, as GTM's test runner does it: every API the code requires is a spy over the real
 * one (on a stand-in window, with no page), replaced by `mock(name, value or function)`;
 * `runCode(data)` runs the template with `gtmOnSuccess` and `gtmOnFailure` spies.
 */
function runScenario(name: string, scenarioCode: string) {
  const win: Record<string, unknown> = {}
  const consent: ConsentMode = { state: {}, listeners: [] }
  const real = sandboxApis(win, allowedBy(sections.WEB_PERMISSIONS!), consent)
  const calls: Record<string, unknown[][]> = {}
  const mocks = new Map<string, unknown>()
  const spy =
    (api: string, fallback?: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      ;(calls[api] ??= []).push(args)
      if (mocks.has(api)) {
        const mocked = mocks.get(api)
        return typeof mocked === 'function' ? mocked(...args) : mocked
      }
      // injectScript in a test loads nothing (no page), as in GTM's runner.
      return api === 'injectScript' ? undefined : fallback?.(...args)
    }
  const fail = (message: string) => {
    throw new Error(`scenario "${name}": ${message}`)
  }
  const runCode = (data: Record<string, unknown>) =>
    runTemplate(sections.SANDBOXED_JS_FOR_WEB_TEMPLATE!, (api) => spy(api, real[api]), { ...data, gtmOnSuccess: spy('gtmOnSuccess'), gtmOnFailure: spy('gtmOnFailure') })
  const assertApi = (api: string) => ({
    wasCalled: () => (calls[api]?.length ? undefined : fail(`${api} was not called`)),
    wasNotCalled: () => (calls[api]?.length ? fail(`${api} was called: ${JSON.stringify(calls[api])}`) : undefined),
    wasCalledWith: (...expected: unknown[]) =>
      calls[api]?.some((args) => isDeepStrictEqual(args.slice(0, expected.length), expected) && args.length >= expected.length)
        ? undefined
        : fail(`${api} was not called with ${JSON.stringify(expected)}: ${JSON.stringify(calls[api] ?? [])}`),
  })
  const assertThat = (actual: unknown) => ({
    isEqualTo: (expected: unknown) => (isDeepStrictEqual(actual, expected) ? undefined : fail(`${JSON.stringify(actual)} is not ${JSON.stringify(expected)}`)),
    isTrue: () => (actual === true ? undefined : fail(`${JSON.stringify(actual)} is not true`)),
    isFalse: () => (actual === false ? undefined : fail(`${JSON.stringify(actual)} is not false`)),
  })
  const mock = (api: string, value: unknown) => mocks.set(api, value)
  new Function('mock', 'runCode', 'assertApi', 'assertThat', 'fail', scenarioCode)(mock, runCode, assertApi, assertThat, fail)
}

/**
 * One interface to the three engines a visitor uses, so that every scenario is written once:
 * Chromium through Playwright, Firefox through WebDriver BiDi, WebKit through classic WebDriver.
 * It is deliberately small: what a scenario needs is to open pages, run code in them, and give them
 * real input (pointer, touch, keys) that moves focus and fires trusted events the way a visitor does.
 * Everything else (console lines, page errors, CSP violations, a fake clock) is recorded in the page
 * itself by `probe.js`, the same way on every engine.
 */

export type EngineName = 'chromium' | 'firefox' | 'webkit'

export type Key = 'Tab' | 'Shift+Tab' | 'Enter' | 'Escape' | 'Space'

export interface EnginePage {
  /** Opens `url` and waits for its load event. */
  goto(url: string): Promise<void>
  reload(): Promise<void>
  /** Runs `fn(arg)` in the page, awaiting a promise it returns; arguments and result go through JSON. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>
  /** A pointer click (mouse) at viewport coordinates. */
  clickAt(x: number, y: number): Promise<void>
  /** A tap (touch pointer) at viewport coordinates. */
  tapAt(x: number, y: number): Promise<void>
  press(key: Key): Promise<void>
  /** Resizes the viewport as far as the engine allows; returns what it is now. */
  setViewport(width: number, height: number): Promise<{ width: number; height: number }>
  close(): Promise<void>
}

export interface Engine {
  name: EngineName
  /** The browser's own version string, for the report. */
  version: string
  /** A page in a fresh profile (no storage shared with other pages); `touch` asks for a touch screen. */
  newPage(options?: { touch?: boolean }): Promise<EnginePage>
  close(): Promise<void>
}

/** WebDriver key codes (WebDriver spec, "keyboard actions"). */
export const KEY_CODES: Record<Exclude<Key, 'Shift+Tab'>, string> = { Tab: '\uE004', Enter: '\uE007', Escape: '\uE00C', Space: '\uE00D' }
export const SHIFT = '\uE008'

/** The WebDriver key actions for `key`: down and up, Shift around Tab for Shift+Tab. */
export function keyActions(key: Key) {
  const code = key === 'Shift+Tab' ? KEY_CODES.Tab : KEY_CODES[key]
  const press = [{ type: 'keyDown', value: code }, { type: 'keyUp', value: code }]
  return key === 'Shift+Tab' ? [{ type: 'keyDown', value: SHIFT }, ...press, { type: 'keyUp', value: SHIFT }] : press
}

/** The WebDriver pointer actions for one click or tap at (x, y), in viewport CSS pixels. */
export function pointerActions(x: number, y: number, touch: boolean) {
  return {
    type: 'pointer',
    id: touch ? 'finger' : 'mouse',
    parameters: { pointerType: touch ? 'touch' : 'mouse' },
    actions: [
      { type: 'pointerMove', x: Math.round(x), y: Math.round(y), origin: 'viewport', duration: 0 },
      { type: 'pointerDown', button: 0 },
      { type: 'pointerUp', button: 0 },
    ],
  }
}

/**
 * The source of an expression that runs `fn(arg)` and resolves to its result as JSON text: the
 * drivers that do not speak JSON (BiDi's remote values) or would drop `undefined` all get text.
 */
export function evaluateSource(fn: Function, arg: unknown): string {
  return `(async () => JSON.stringify({ value: await (${fn.toString()})(${JSON.stringify(arg ?? null)}) }))()`
}

/** Reads what `evaluateSource` produced. */
export const evaluated = <R>(text: unknown): R => (typeof text === 'string' ? (JSON.parse(text) as { value: R }).value : (undefined as R))

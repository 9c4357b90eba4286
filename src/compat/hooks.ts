import { isPlainObject, own } from '../lib/checks.ts'

/** The hooks this tag runs (the others of LivePerson's list belong to its chat window). */
export type HookName = 'BEFORE_ENG_DISPLAY' | 'BEFORE_SUBMIT_SDE'

export interface Hooks {
  /** `lpTag.hooks.push({name, callback})`, as LivePerson documents it; returns how many are registered. */
  push(...hooks: unknown[]): number
  /**
   * Runs the hooks named `name` in the order they were pushed, each given the previous one's
   * result: LivePerson's contract is one object in, one object out, and a result that is not an
   * object is ignored (the previous one goes on). A hook that throws is logged and skipped.
   */
  run_<T extends object>(name: HookName, options: T): T
  /** Whether any hook named `name` is registered: without one, nothing need be prepared for it. */
  has_(name: HookName): boolean
}

/** `lpTag.hooks`, taking over what the page queued in the array it may have set before load. */
export function createHooks(queued: unknown[] = []): Hooks {
  const registered: { name: unknown; callback: (options: object) => unknown }[] = []
  const hooks: Hooks = {
    push(...added) {
      for (const hook of added) {
        const callback = own(hook, 'callback')
        if (typeof callback === 'function') registered.push({ name: own(hook, 'name'), callback })
        else console.warn('[lpTag] hook dropped: it must be {name, callback}')
      }
      return registered.length
    },
    run_(name, options) {
      for (const hook of registered)
        if (hook.name === name)
          try {
            const result = hook.callback(options)
            if (isPlainObject(result)) options = result as typeof options
          } catch (error) {
            console.error(`[lpTag] a ${name} hook threw; it is skipped`, error)
          }
      return options
    },
    has_: (name) => registered.some((hook) => hook.name === name),
  }
  hooks.push(...queued)
  return hooks
}


/**
 * A member of `document` read through `Document.prototype`. Page content can shadow members of
 * `document` by name (DOM clobbering: `<img name="body">`, `<form name="currentScript">`); the
 * prototype's getters cannot be shadowed. Used for what the tag must get right: its running
 * script, where it puts what it adds, and whether the page is visible.
 */
export const documentMember = <K extends 'currentScript' | 'body' | 'documentElement' | 'head' | 'visibilityState'>(name: K, doc: Document = document): Document[K] | undefined => {
  try {
    return Reflect.get(Document.prototype, name, doc)
  } catch {}
  return
}

/** Whether the page is hidden (a background tab, a minimised window), read past DOM clobbering. */
export const pageHidden = (): boolean => documentMember('visibilityState') === 'hidden'

/** `<html lang>` when it has a BCP 47 shape of at most 35 characters, else undefined. */
export const pageLanguage = (doc?: Document): string | undefined => {
  let lang: unknown
  try {
    lang = documentMember('documentElement', doc)?.lang
  } catch {}
  return typeof lang === 'string' && lang.length < 36 && /^[a-z]{2,8}(-[a-z\d]{1,8})*$/i.test(lang) ? lang : undefined
}

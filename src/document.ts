/**
 * A member of `document` read through `Document.prototype`. Page content can shadow members of
 * `document` by name (DOM clobbering: `<img name="body">`, `<form name="currentScript">`); the
 * prototype's getters cannot be shadowed. Used for what the tag must get right: its running
 * script and where offers are drawn.
 */
export const documentMember = <K extends 'currentScript' | 'body' | 'documentElement' | 'head'>(name: K, doc: Document = document): Document[K] | undefined => {
  try {
    return Reflect.get(Document.prototype, name, doc)
  } catch {}
  return
}

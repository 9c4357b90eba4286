/**
 * Whether a value can be used as a visitor, session or subject id: it goes into URLs and storage,
 * so a server answer with control characters or megabytes of text must not pass.
 */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && /^[\w.~+/=:-]{1,128}$/.test(value)
}

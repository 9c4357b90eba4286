/** What the debug panel reads, also from before it loaded: the last 200 requests and retries. */
export const debugLog: object[] = []

export const note = (entry: object): void => void (debugLog.push({ at: Date.now(), ...entry }) > 200 && debugLog.shift())

/** The `answer` hook of a Monitoring API call: logs each attempt, the answer cut to 2,000 chars. */
export const logAnswer = (url: string, status: number, ms: number, text: string): void =>
  note({ url, status, ms, text: text.slice(0, 2000) })

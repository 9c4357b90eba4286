/**
 * `data-lp-spa="history"`: a single-page app's navigations start a new page view by themselves.
 * `pushState`/`replaceState` fire no event, so they are wrapped (the page's own call always runs
 * first and its result is returned untouched); back/forward come as `popstate`. Only a change of
 * path counts: query and hash changes are the same page to the Monitoring API.
 */
export function followHistory(newPage: (url: string) => void): void {
  let path = location.pathname
  const check = () => {
    if (location.pathname === path) return
    path = location.pathname
    newPage(location.href)
  }
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method]
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args)
      try {
        check()
      } catch (error) {
        console.error('[lpTag] new page view failed', error)
      }
      return result
    }
  }
  addEventListener('popstate', check)
}

// Builds the debug bookmarklet from the form of bookmarklet.html (no inline scripts: a strict CSP
// holds). The bookmarklet opens the panel of a tag already running on the page, or loads tag.js
// from the URL given on the form (the brand's public copy of dist/; this server's by default).
;(function () {
  'use strict'

  /**
   * The bookmarklet's code (without `javascript:`). When the tag does not load it tells the two
   * causes apart: a `securitypolicyviolation` for its URL is the page's CSP; an error without one
   * is the network, or the browser refusing a public page a script from this machine (Chrome's
   * Local Network Access), which only the tag's public URL avoids.
   * @param {{ site: string, app: string, domain: string, apiVersion: string }} settings
   * @param {string} tagUrl
   */
  function bookmarkletCode(settings, tagUrl) {
    var S = JSON.stringify
    var origin = new URL(tagUrl).origin
    return (
      '(function(){var w=window,d=document,t=w.lpTag,u=' + S(tagUrl) + ',c=0,n=0;' +
      'if(t&&t.loaded){t.debug();return}' +
      'd.addEventListener("securitypolicyviolation",function(e){e.blockedURI&&u.indexOf(e.blockedURI)==0&&(c=1)});' +
      // The violation event and the script's error come in either order: decide a moment later.
      'function f(){n++||setTimeout(function(){console.error(c?' +
      S("[lpTag] this page's Content Security Policy blocks " + tagUrl + ': the debug bookmarklet cannot load the tag here (the page would need script-src ' + origin + ')') + ':' +
      S('[lpTag] the debug bookmarklet could not load ' + tagUrl + ": offline or not found, or the browser keeps public pages from loading scripts of this machine (local network access): build the bookmarklet with the tag's public URL, where dist/ is hosted") +
      ')},100)}' +
      'w.lpTag={site:' + S(settings.site) + ',app:' + S(settings.app) + ',domain:' + S(settings.domain) +
      ',apiVersion:' + S(settings.apiVersion) + ',debug:true};' +
      'try{var s=d.createElement("script");s.onerror=f;s.async=true;s.setAttribute("data-lp-debug","");s.src=u;(d.head||d.documentElement).appendChild(s)}catch(e){f()}' +
      '})();void 0'
    )
  }

  // `tag.js` beside this script, wherever the two are hosted (a sub-path included): the default.
  var localTag = new URL('tag.js', document.currentScript.src).href
  var form = document.getElementById('bookmarklet-form')
  var link = document.getElementById('bookmarklet-link')
  var code = document.getElementById('bookmarklet-code')
  var hint = document.getElementById('tag-url-hint')
  if (!(form instanceof HTMLFormElement) || !(link instanceof HTMLAnchorElement) || !code || !hint) return
  var tagField = form.elements.namedItem('tagUrl')
  if (tagField && 'value' in tagField && !tagField.value) tagField.value = localTag

  function value(name) {
    var field = form.elements.namedItem(name)
    return field && 'value' in field ? String(field.value).trim() : ''
  }

  /** The tag URL from the form when it is an absolute http(s) URL, else this server's. */
  function tagUrl() {
    try {
      var url = new URL(value('tagUrl'))
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.href
    } catch (error) {}
    return localTag
  }

  function update() {
    var settings = { site: value('account'), app: value('app'), domain: value('domain'), apiVersion: value('apiVersion') }
    var url = tagUrl()
    var source = bookmarkletCode(settings, url)
    link.href = 'javascript:' + encodeURIComponent(source)
    link.textContent = 'lpTag debug' + (settings.site ? ' (' + settings.site + ')' : '')
    code.textContent = source
    // A tag on this machine only works on pages of this machine: say so where it matters.
    hint.hidden = !/^(localhost|127\.0\.0\.1|\[::1\])$/.test(new URL(url).hostname)
  }

  form.addEventListener('input', update)
  form.addEventListener('submit', function (event) {
    event.preventDefault()
    update()
  })
  update()
})()

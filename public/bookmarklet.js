// Builds the debug bookmarklet from the form of bookmarklet.html (no inline scripts: a strict CSP
// holds). The bookmarklet opens the panel of a tag already running on the page, or loads tag.js
// from the origin that served this page with debug on.
;(function () {
  'use strict'

  /**
   * The bookmarklet's code (without `javascript:`).
   * @param {{ site: string, app: string, domain: string, apiVersion: string }} settings
   * @param {string} tagUrl
   */
  function bookmarkletCode(settings, tagUrl) {
    var S = JSON.stringify
    return (
      '(function(){var w=window,d=document,t=w.lpTag,u=' + S(tagUrl) + ',n=0;' +
      'if(t&&t.loaded){t.debug();return}' +
      'function f(){n++||console.error("[lpTag] this page\'s Content Security Policy blocks "+u+": the debug bookmarklet cannot load the tag here (it needs script-src "+new URL(u).origin+")")}' +
      'd.addEventListener("securitypolicyviolation",function(e){e.blockedURI&&u.indexOf(e.blockedURI)==0&&f()});' +
      'w.lpTag={site:' + S(settings.site) + ',app:' + S(settings.app) + ',domain:' + S(settings.domain) +
      ',apiVersion:' + S(settings.apiVersion) + ',debug:true};' +
      'try{var s=d.createElement("script");s.onerror=f;s.async=true;s.setAttribute("data-lp-debug","");s.src=u;(d.head||d.documentElement).appendChild(s)}catch(e){f()}' +
      '})();void 0'
    )
  }

  // `tag.js` sits beside this script, wherever the two are hosted (a sub-path included).
  var tagUrl = new URL('tag.js', document.currentScript.src).href
  var form = document.getElementById('bookmarklet-form')
  var link = document.getElementById('bookmarklet-link')
  var code = document.getElementById('bookmarklet-code')
  if (!(form instanceof HTMLFormElement) || !(link instanceof HTMLAnchorElement) || !code) return

  function value(name) {
    var field = form.elements.namedItem(name)
    return field && 'value' in field ? String(field.value).trim() : ''
  }

  function update() {
    var settings = { site: value('account'), app: value('app'), domain: value('domain'), apiVersion: value('apiVersion') }
    var source = bookmarkletCode(settings, tagUrl)
    link.href = 'javascript:' + encodeURIComponent(source)
    link.textContent = 'lpTag debug' + (settings.site ? ' (' + settings.site + ')' : '')
    code.textContent = source
  }

  form.addEventListener('input', update)
  form.addEventListener('submit', function (event) {
    event.preventDefault()
    update()
  })
  update()
})()

// Demo only, not part of any snippet: shows the page's own snippet (as served, between its
// "lpTag snippet" comments) to copy, and lists what the tag published, so whoever opens the page
// sees that the path works. It only reads `lpTag.events` after load. Text only, no markup parsed.
;(function () {
  showSnippet()
  var list = document.querySelector('[data-install-status]')
  if (!list) return
  function show(appName, eventName, data) {
    var item = document.createElement('li')
    var detail = data && data.engagementId ? ' engagement ' + data.engagementId : data && data.message ? ' ' + data.message : ''
    item.textContent = appName + '/' + eventName + detail
    list.appendChild(item)
  }
  addEventListener('load', function () {
    var events = window.lpTag && window.lpTag.events
    if (!events || typeof events.hasFired !== 'function') {
      show('page', 'the tag did not load')
      return
    }
    events.hasFired('*', '*').forEach(function (e) { show(e.appName, e.eventName, e.data) })
    events.bind('*', '*', function (data, info) { show(info.appName, info.eventName, data) })
  })

  function showSnippet() {
    var header = document.querySelector('header')
    if (!header) return
    fetch(location.href).then(function (r) { return r.text() }).then(function (html) {
      var between = /<!--\s*lpTag snippet: start[\s\S]*?-->([\s\S]*?)<!--\s*lpTag snippet: end/g
      var parts = []
      for (var m = between.exec(html); m; m = between.exec(html)) parts.push(m[1].replace(/^\s*\n|\s+$/g, ''))
      if (!parts.length) return
      var section = document.createElement('section')
      var title = document.createElement('h2')
      var code = document.createElement('pre')
      title.textContent = parts.length > 1 ? 'The snippets on this page' : 'The snippet on this page'
      code.setAttribute('data-install-snippet', '')
      code.textContent = parts.map(dedent).join('\n\n')
      var note = document.createElement('p')
      note.textContent = 'On your site: /tag.js becomes the URL you host it at, and the emulator\u2019s address your account\u2019s API domain.'
      section.append(title, code, note)
      header.after(section)
    })
  }

  /** The snippet as it would be pasted: its common indentation removed. */
  function dedent(text) {
    var lines = text.split('\n')
    var indent = Math.min.apply(Math, lines.filter(function (l) { return l.trim() }).map(function (l) { return l.match(/^ */)[0].length }))
    return lines.map(function (l) { return l.slice(indent) }).join('\n')
  }
})()

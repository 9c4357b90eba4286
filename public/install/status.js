// Demo only, not part of any snippet: lists what the tag published on an installation page, so
// whoever opens the page sees that the path works. It only reads `lpTag.events` after load.
;(function () {
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
})()

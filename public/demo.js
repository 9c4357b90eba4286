// The demo page's own script: it shows what the tag publishes on lpTag.events, the way a brand's
// analytics code would listen. It uses only the tag's public API and the emulator's test controls.
;(function () {
  var api = document.currentScript.getAttribute('data-api')
  var log = document.getElementById('log')
  var offer = document.getElementById('offer')

  function line(event, data) {
    var li = document.createElement('li')
    li.className = event.eventName
    li.textContent = new Date().toLocaleTimeString() + '  ' + event.appName + '/' + event.eventName + '  ' + JSON.stringify(data)
    log.appendChild(li)
    log.scrollTop = log.scrollHeight
  }

  function showOffer(text) {
    offer.textContent = text
  }

  // The emulator's record of what reached it: the requests the tag sent and the answers it got.
  function showRequests() {
    fetch(api + '/__emulator/requests').then(function (r) { return r.json() }).then(function (requests) {
      var list = document.getElementById('requests')
      var calls = requests.filter(function (r) { return r.kind === 'engagement' || r.kind === 'report' })
      list.replaceChildren.apply(list, calls.map(function (r) {
        var li = document.createElement('li')
        li.textContent = new Date(r.at).toLocaleTimeString() + '  ' + r.method + ' ' + r.path + '?' + new URLSearchParams(r.query) + '  → ' + r.status
        return li
      }))
    })
  }

  function control(path, body) {
    return fetch(api + '/__emulator/' + path, { method: 'POST', body: JSON.stringify(body || {}) })
  }

  function whenReady(fn) {
    if (window.lpTag && window.lpTag.loaded) return fn(window.lpTag)
    setTimeout(function () { whenReady(fn) }, 50)
  }

  whenReady(function (lpTag) {
    // Replay what happened before this script bound, then follow live.
    lpTag.events.hasFired('*', '*').forEach(function (e) { line(e, e.data) })
    lpTag.events.bind('*', '*', function (data, info) { line(info, data) })
    lpTag.events.bind('*', '*', function () { setTimeout(showRequests, 300) })
    showRequests()
    // The tag renders the offer itself; this line only says what happened to it.
    lpTag.events.bind('LP_OFFERS', '*', function (data, info) {
      showOffer(info.eventName + ': engagement ' + data.engagementId + ' (' + data.engagementName + ', ' + data.tglName + ')')
    })
    lpTag.events.bind('LP_TAG', 'ENGAGEMENT', function (result) {
      if (result.status !== 'Available') showOffer(result.conversation ? 'An open conversation: no offer.' : 'No engagement for this visitor.')
    })

    document.querySelector('.controls').addEventListener('click', function (event) {
      var action = event.target.getAttribute && event.target.getAttribute('data-demo')
      if (action === 'check') lpTag.getEngagement()
      if (action === 'fault-503') control('faults', { status: 503 }).then(function () { lpTag.getEngagement() })
      if (action === 'warmup') control('warmup', { account: '12345678', times: 1 }).then(function () { lpTag.getEngagement() })
      if (action === 'sde') lpTag.sdes.send({ type: 'cart', total: 150, currency: 'USD', numItems: 2 })
      if (action === 'reset') control('reset')
    })
  })
})()

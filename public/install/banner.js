// Demo only, not part of any snippet: the consent banner a CMP would show, driving the test CMP
// (window.testCmp, the IAB's CmpApi) the way a real one does, and saying what the tag kept.
;(function () {
  var banner = document.querySelector('[data-consent-banner]')
  var manage = document.querySelector('[data-consent="manage"]')
  var state = document.querySelector('[data-consent-state]')
  var cmp = window.testCmp
  if (!banner || !manage || !state || !cmp) return
  var answer = 'not answered yet'
  cmp.showBanner()

  function decide(accepted) {
    answer = accepted ? 'accepted' : 'rejected'
    cmp.decide({ publisher: accepted })
    banner.hidden = true
    manage.hidden = false
    manage.focus()
  }
  banner.querySelector('[data-consent="accept"]').onclick = function () { decide(true) }
  banner.querySelector('[data-consent="reject"]').onclick = function () { decide(false) }
  manage.onclick = function () {
    cmp.showBanner()
    banner.hidden = false
    manage.hidden = true
    banner.querySelector('button').focus()
  }

  // What the visitor can check in the browser's storage panel, said in words.
  function refresh() {
    var list = indexedDB.databases ? indexedDB.databases() : Promise.resolve([])
    list.then(function (all) {
      var stored = all.some(function (db) { return db.name === 'lp-tag' })
      state.textContent = 'Consent: ' + answer + '. Stored ids: ' + (stored ? 'in IndexedDB (lp-tag)' : 'none') + '.'
    })
  }
  setInterval(refresh, 500)
  refresh()
})()

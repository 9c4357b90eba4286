// The physical floor for the tag's job, for the benchmark: read the script's attributes, one
// IndexedDB get, the engagement POST. Nothing else: no validation, no retries, no events.
;(function () {
  var d = /** @type {HTMLScriptElement} */ (document.currentScript).dataset
  var url = d.lpDomain + '/api/account/' + d.lpAccount + '/app/' + d.lpApp + '/engagement?v=1.1'
  /** @param {{ vid?: string, sid?: string }} [ids] */
  function post(ids) {
    fetch(url + (ids && ids.vid ? '&vid=' + ids.vid + '&sid=' + ids.sid : ''), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'omit',
      body: JSON.stringify({ entryPoints: [location.origin + location.pathname] }),
    })
  }
  var open = indexedDB.open('floor')
  open.onupgradeneeded = function () {
    open.result.createObjectStore('ids')
  }
  open.onerror = function () {
    post()
  }
  open.onsuccess = function () {
    var get = open.result.transaction('ids').objectStore('ids').get(d.lpAccount || '')
    get.onsuccess = function () {
      post(get.result)
    }
  }
})()

// The demo page's own script: it shows what the tag publishes on lpTag.events, the way a brand's
// analytics and chat code would listen. It uses only the tag's public API and the emulator's test
// controls. Text only (textContent): event data is never parsed as markup. A module: its names
// stay its own, and it runs once the document is parsed.
var api = document.querySelector('script[data-api]').getAttribute('data-api')
var log = document.getElementById('log')
var offer = document.getElementById('offer')
var openedAt = Date.now()
/** The visitors this browser has been, from the answers it got: its requests are the ones listed. */
var visitors = {}
var countdown
/** Whether an offer is on the page (START to OFFER_REMOVE). */
var showing = false

function line(event, data) {
  var li = document.createElement('li')
  li.className = event.eventName
  li.textContent = new Date().toLocaleTimeString() + '  ' + event.appName + '/' + event.eventName + '  ' + JSON.stringify(data)
  log.appendChild(li)
  log.scrollTop = log.scrollHeight
}

/** The Offer box: the live state in words. */
function say(text) {
  clearInterval(countdown)
  offer.textContent = text
}

/** "Retrying in 3 s after 503 (retry 1 of 4)", counting down; "Loading account" for 202/38 and 500/20. */
function sayRetry(retry) {
  var due = Date.now() + retry.delayMs
  var loading = retry.status === 202
  function tick() {
    var left = Math.max(0, Math.ceil((due - Date.now()) / 1000))
    offer.textContent = (loading ? 'Loading account' : 'Retrying after ' + (retry.status ? retry.status : 'a network error')) +
      ', retry ' + retry.attempt + ' of 4 in ' + left + ' s'
  }
  say('')
  tick()
  countdown = setInterval(tick, 250)
}

var NAMES = { START: 'Starting', OFFER_DISPLAY: 'Showing', OFFER_IMPRESSION: 'Seen by the visitor:' }
function sayOffer(eventName, data) {
  var what = '"' + data.engagementName + '" (' + data.tglName + ', engagement ' + data.engagementId + ')'
  if (NAMES[eventName]) return say(NAMES[eventName] + ' ' + what)
  if (eventName === 'OFFER_CLICK') return say('Accepted ' + what + ': the conversation started below')
  if (eventName === 'OFFER_DECLINED') return say('Declined by the visitor: ' + what)
  if (eventName === 'OFFER_TIMEOUT') return say('Expired (its validity ran out): ' + what)
  // Removed without a decision: a re-check found it no longer exposed, a new page view, or consent withdrawn.
  if (eventName === 'OFFER_REMOVE' && /^(Starting|Showing|Seen)/.test(offer.textContent)) say('Removed: ' + what + ' is no longer offered')
}

function sayResult(result) {
  if (result.status === 'Available') return say('Engagement ' + result.engagementDetails.engagementId + ' is available: its offer is loading')
  if (result.conversation) return say('An open conversation: no offer')
  if (result.error) return say('No offer: ' + result.error.message)
  say('No engagement for this page')
}

/** The agent line the page's catalog gives the engagement, so the conversation greets as the offer did. */
function catalogAgent(engagementId) {
  try {
    var entry = JSON.parse(document.querySelector('script[data-lp-engagements]').textContent)[engagementId]
    return entry && typeof entry.agent === 'string' ? entry.agent : ''
  } catch (error) {
    return ''
  }
}

/** The conversation a real integration would now start, with what OFFER_CLICK handed over. */
function startConversation(click) {
  var handoff = click.handoff
  var facts = [
    ['Campaign', handoff.campaignInfo.campaignId],
    ['Engagement', handoff.campaignInfo.engagementId],
    ['Skill', handoff.skillName ? handoff.skillName + ' (' + handoff.skillId + ')' : handoff.skillId],
    ['Window', handoff.windowId],
    ['Visitor', handoff.conversationContext.visitorId],
    ['Session', handoff.conversationContext.sessionId],
    ['Interaction context', handoff.conversationContext.interactionContextId],
    ['Language', handoff.conversationContext.lang],
  ]
  var list = document.getElementById('handoff')
  list.replaceChildren()
  facts.forEach(function (fact) {
    if (fact[1] === undefined) return
    var dt = document.createElement('dt')
    var dd = document.createElement('dd')
    dt.textContent = fact[0]
    dd.textContent = String(fact[1])
    list.append(dt, dd)
  })
  document.getElementById('agent').textContent = catalogAgent(handoff.campaignInfo.engagementId) || handoff.skillName || 'Support'
  document.getElementById('handoff-json').textContent = JSON.stringify(handoff, null, 2)
  var panel = document.getElementById('conversation')
  panel.hidden = false
  panel.focus()
  panel.scrollIntoView({ block: 'start', behavior: 'smooth' })
}

// The emulator's record of what reached it from this browser: this page's first requests (before
// any answer named the visitor) and every one for a visitor this browser has been.
function showRequests() {
  fetch(api + '/__emulator/requests').then(function (r) { return r.json() }).then(function (requests) {
    var list = document.getElementById('requests')
    var mine = requests.filter(function (r) {
      if (r.kind !== 'engagement' && r.kind !== 'report') return false
      var vid = r.query.vid || r.visitorId
      return vid ? visitors[vid] : r.at >= openedAt - 1000
    })
    list.replaceChildren.apply(list, mine.reverse().map(function (r) {
      var li = document.createElement('li')
      li.className = r.status >= 400 || r.status === 0 ? 'ERROR' : r.status === 202 ? 'RETRY' : ''
      li.textContent = new Date(r.at).toLocaleTimeString() + '  ' + r.method + ' ' + r.path + '?' + new URLSearchParams(r.query) + '  → ' + (r.status || 'no answer')
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

function follow(event, data) {
  if (event.appName === 'LP_OFFERS') {
    showing = event.eventName !== 'OFFER_REMOVE'
    sayOffer(event.eventName, data)
  }
  if (event.appName !== 'LP_TAG') return
  if (event.eventName === 'READY') say('Configured: checking for an engagement…')
  if (event.eventName === 'RETRY') sayRetry(data)
  if (event.eventName === 'ENGAGEMENT') {
    if (data.visitorId) visitors[data.visitorId] = true
    sayResult(data)
  }
  if (event.eventName === 'ERROR' && data.code !== 'unavailable' && data.code !== 'rejected') say('Error: ' + data.message)
}

whenReady(function (lpTag) {
  // Replay what happened before this script bound, then follow live.
  lpTag.events.hasFired('*', '*').forEach(function (e) {
    line(e, e.data)
    follow(e, e.data)
  })
  lpTag.events.bind('*', '*', function (data, info) {
    line(info, data)
    follow(info, data)
    setTimeout(showRequests, 300)
  })
  lpTag.events.bind('LP_OFFERS', 'OFFER_CLICK', startConversation)
  showRequests()

  document.querySelector('.controls').addEventListener('click', function (event) {
    var action = event.target.getAttribute && event.target.getAttribute('data-demo')
    if (action === 'check') lpTag.getEngagement()
    if (action === 'fault-503') control('faults', { status: 503 }).then(function () { lpTag.getEngagement() })
    if (action === 'warmup') control('warmup', { account: '12345678', times: 1 }).then(function () { lpTag.getEngagement() })
    if (action === 'sde') pushCart(lpTag)
    if (action === 'reset') control('reset').then(showRequests)
  })
})

/**
 * A cart over 100 makes the visitor eligible for the catalog's "Big basket" engagement. With no
 * offer on the page the tag sends the SDE with a new check at once. While an offer shows, it
 * reports the SDE to that offer's session instead (a new check would make the offer stale): the
 * page then asks again once the report is in, as a brand's cart code would, and the offer changes.
 */
function pushCart(lpTag) {
  var since = Date.now()
  var wasShowing = showing
  lpTag.sdes.send({ type: 'cart', total: 150, currency: 'USD', numItems: 2 })
  if (!wasShowing) return
  say('Cart SDE reported to the offer\u2019s session: checking again…')
  afterReport(since, 0, function () { lpTag.getEngagement() })
}

function afterReport(since, tries, then) {
  fetch(api + '/__emulator/requests?kind=report').then(function (r) { return r.json() }).then(function (reports) {
    var landed = reports.some(function (r) { return r.at >= since - 50 && r.status })
    if (landed || tries > 40) return then()
    setTimeout(function () { afterReport(since, tries + 1, then) }, 100)
  })
}

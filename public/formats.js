// One frame of the formats gallery: loads the tag with the format from ?f=, the way a tag manager
// inserts it. The pre-load catalog gives the site-wide engagement (3562981510) that format, a zone
// for `embedded`, and a brand accent.
;(function () {
  var format = new URLSearchParams(location.search).get('f') || 'slideout'
  var accents = { peeling: '#d9480f', overlay: '#0b63ce', toaster: '#2b8a3e', slideout: '#5f3dc4', embedded: '#ffcc00', sticky: '#123456' }
  var look = { format: format, title: 'Questions about sizing?', text: 'Our outfitters are online now and happy to help you pick.', button: 'Chat now', accent: accents[format],
    agent: 'Ana from the outfitters', avatar: '/avatar.svg', theme: new URLSearchParams(location.search).get('theme') || 'light' }
  if (format === 'embedded') look.zone = 'help-box'
  window.lpTag = { engagements: { 3562981510: look } }
  var tag = document.createElement('script')
  tag.src = '/tag.js'
  tag.setAttribute('data-lp-account', '12345678')
  tag.setAttribute('data-lp-app', 'a1b2c3')
  tag.setAttribute('data-lp-domain', document.currentScript.getAttribute('data-api'))
  tag.setAttribute('data-lp-format', format)
  document.head.appendChild(tag)
})()

/**
 * A stand-in for LivePerson's standard web tag snippet, written here from how it behaves (not its
 * code): when `window.lpTag._tagCount` is not set, it replaces `window.lpTag` with a stub that keeps
 * the page's `site`, `section`, `sdes`, `hooks` and `identities`, sets `autoStart` and
 * `_tagCount: 1`, queues `events.bind`/`trigger` calls as closures in `_defB`/`_defT` (through
 * `defer`), and calls `init()`, which marks `isDom` on DOMContentLoaded (triggering LPT/DOM_READY)
 * and loads LivePerson's tag.js from lptag.liveperson.net on a timer unless `window._lptStop` is
 * set. When `_tagCount` is set, it only counts one more.
 */
export function lpSnippet(site: string, section: string | string[] = ''): string {
  return `<script>
window.lpTag = window.lpTag || {};
if (typeof window.lpTag._tagCount === 'undefined') {
  var before = window.lpTag;
  window.lpTag = {
    site: ${JSON.stringify(site)} || '',
    section: before.section || ${JSON.stringify(section)},
    autoStart: before.autoStart !== false,
    _tagCount: 1,
    protocol: 'https:',
    events: {
      bind: function (app, ev, fn) { lpTag.defer(function () { lpTag.events.bind(app, ev, fn) }, 0) },
      trigger: function (app, ev, data) { lpTag.defer(function () { lpTag.events.trigger(app, ev, data) }, 1) }
    },
    defer: function (fn, kind) {
      var queue = kind === 0 ? '_defB' : kind === 1 ? '_defT' : '_defL';
      (this[queue] = this[queue] || []).push(fn);
    },
    load: function () { var self = this; setTimeout(function () { self._load() }, 0) },
    _load: function () {
      var script = document.createElement('script');
      script.src = this.protocol + '//lptag.liveperson.net/tag/tag.js?site=' + this.site;
      document.getElementsByTagName('head')[0].appendChild(script);
    },
    init: function () {
      var self = this;
      window.addEventListener('DOMContentLoaded', function () { self._domReady('contReady') });
      if (typeof window._lptStop === 'undefined') this.load();
    },
    start: function () { this.autoStart = true },
    _domReady: function (how) {
      if (!this.isDom) { this.isDom = true; this.events.trigger('LPT', 'DOM_READY', { t: how }) }
    },
    sdes: before.sdes || [],
    hooks: before.hooks || [],
    identities: before.identities || []
  };
  lpTag.init();
} else {
  window.lpTag._tagCount += 1;
}
</script>`
}

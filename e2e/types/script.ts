// A classic page script (no import, no export): with dist/tag.d.ts in the program (tsconfig `files`
// or `types`), both `window.lpTag` and the bare global `lpTag` are typed.
window.lpTag.events.bind('LP_OFFERS', 'OFFER_CLICK', (data, info) => console.log(info.eventName, data))
lpTag.sdes.push({ type: 'cart', total: 11.7 })
const scriptLoaded: boolean = window.lpTag.loaded && lpTag.version.length > 0
console.log(scriptLoaded)

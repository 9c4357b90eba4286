// Good integrator code: it must compile against dist/tag.d.ts (`tsc -p e2e/types`). The `expect`
// lines pin exact types, so a changed declaration fails here and not only on a customer's site.
import type {
  BindOptions,
  EngagementDetails,
  EngagementRequest,
  EngagementResult,
  EventCallback,
  EventInfo,
  FiredEvent,
  Identity,
  LpEvents,
  LpSdes,
  LpTag,
  OfferEvent,
  OpenConversation,
  RetryInfo,
  Sde,
  TagError,
  UnbindOptions,
} from 'lp-engagement-tag'

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const expect = <T extends true>(): T => true as T

declare const analytics: { track(name: string, data?: object): void }
declare const dataLayer: object[]

const tag: LpTag = window.lpTag
expect<Equal<typeof window.lpTag, LpTag>>()
expect<Equal<typeof lpTag, LpTag>>()
expect<Equal<LpTag['events'], LpEvents>>()
expect<Equal<LpTag['sdes'], LpSdes>>()

// events.bind, positional form, with typed data.
const clickId = tag.events.bind<OfferEvent>('LP_OFFERS', 'OFFER_CLICK', (offer, info) => {
  expect<Equal<typeof info, EventInfo>>()
  const context = offer.contexts[0].EngagementContext.id
  const page = offer.contexts[1].pageContext.id
  analytics.track('chat offer accepted', {
    app: info.appName,
    event: info.eventName,
    context,
    page,
    id: offer.engagementId,
    revision: offer.engagementRevision,
    campaign: offer.campaignId,
    type: offer.engagementType,
    state: offer.state,
    zone: offer.zoneId,
    name: offer.engagementName,
    confKey: offer.confKey,
    tgl: offer.tglName,
    contextId: offer.contextId,
  })
  const done: true = offer.done
  console.log(done)
})
expect<Equal<typeof clickId, string>>()

// Untyped data is `any`, as in LivePerson's own tag.
window.lpTag.events.bind('*', '*', (data, { appName, eventName }) => console.log(appName, eventName, data.anything))

// events.bind, object form.
const onError: EventCallback<TagError> = (error) => console.warn(error.code, error.message)
const options: BindOptions<TagError> = { appName: 'LP_TAG', eventName: 'ERROR', func: onError }
const errorId = tag.events.bind(options)
expect<Equal<typeof errorId, string>>()
tag.events.bind<RetryInfo>({
  eventName: 'RETRY',
  func(retry) {
    console.log(retry.attempt, retry.delayMs, retry.status)
  },
  context: { owner: 'checkout' },
  triggerOnce: true,
  async: true,
})
tag.events.bind({ appName: 'LP_TAG', eventName: 'CONVERSATION', func: (c: OpenConversation) => console.log(c.conversationId, c.connectorId) })
tag.events.bind({ appName: 'LP_TAG', eventName: 'ENGAGEMENT', func: (r: EngagementResult) => console.log(r.status) })

// events.unbind, both forms.
const unbound = tag.events.unbind(clickId)
expect<Equal<typeof unbound, boolean>>()
const byFields: UnbindOptions = { appName: 'LP_TAG', func: onError }
tag.events.unbind(byFields)
tag.events.unbind({ eventName: 'RETRY' })
console.log(unbound)

// events.trigger and hasFired with typed data.
const ran = tag.events.trigger('MY_SHOP', 'CHECKOUT', { total: 78 })
tag.events.trigger('MY_SHOP', 'PING')
expect<Equal<typeof ran, boolean>>()
console.log(ran)
const shown = tag.events.hasFired<OfferEvent>('LP_OFFERS', 'OFFER_DISPLAY')
expect<Equal<typeof shown, FiredEvent<OfferEvent>[]>>()
for (const { appName, eventName, data } of shown) console.log(appName, eventName, data.engagementName, data.confKey)
const lastId: number | string | undefined = shown[shown.length - 1]?.data.engagementId
console.log(lastId, tag.events.hasFired('*', '*').length)

// sdes.
const held = tag.sdes.push({ type: 'cart', total: 11.7, currency: 'EUR', products: [] })
tag.sdes.push([{ type: 'prodView', products: [{ product: { name: 'Shoe', sku: 'S-1', price: 60 } }] }], { type: 'lead', lead: { topic: 'shoes' } })
tag.sdes.push()
tag.sdes.send({ type: 'purchase', total: 78, orderId: 'Test123' })
tag.sdes.send([{ type: 'service', service: { topic: 'returns' } }])
tag.sdes.send({ type: 'purchase', total: 78 }, (delivered) => console.log(delivered ? 'sent' : 'not sent'))
const carts = tag.sdes.get('cart')
expect<Equal<typeof held, number>>()
expect<Equal<typeof carts, Sde[] | undefined>>()
expect<Equal<ReturnType<LpSdes['send']>, void>>()
const all: Sde[] = tag.sdes.get()
console.log(held, carts?.length, all[0]?.type)

// What code written for LivePerson's tag calls.
tag.newPage('/checkout', { section: 'checkout,payment', taglets: { rendererStub: { divIdsToKeep: { cart: true } } } })
tag.start()
const clicked: boolean = tag.taglets.rendererStub.click(3562981110)
const state = tag.taglets.rendererStub.getEngagementState('3562981110').state
tag.hooks.push({ name: 'BEFORE_ENG_DISPLAY', callback: (options) => ((options.data.look.title = 'Hello'), options) })
tag.hooks.push({ name: 'BEFORE_SUBMIT_SDE', callback: (options) => ({ data: { sdes: options.data.sdes.filter((sde) => sde.type !== 'personal') } }) })
console.log(clicked, state, tag.isDom)

// identities: an object, or a function given a callback.
const identity: Identity = { iss: 'https://auth.example.com', acr: 'loa1', sub: 'customer-42' }
const count = tag.identities.push(identity)
expect<Equal<typeof count, number>>()
tag.identities.push((cb) => cb({ iss: 'https://auth.example.com', acr: 'loa1', sub: 'customer-42' }))
tag.identities.push(identity, (cb) => setTimeout(() => cb(identity), 10))
console.log(count)

// newPage.
tag.newPage('/checkout/step-1')
tag.newPage(location.href, { section: ['checkout'], sdes: [{ type: 'cart', total: 78 }] })
tag.newPage('/help', {})

// getEngagement with the JS Chat SDK request shape.
const request: EngagementRequest = {
  vid: '123',
  sid: '456',
  appDetails: { os: 'MAC_OSX', osVersion: '1.2', appVersion: '1.0', deviceFamily: 'MOBILE' },
  consumerSections: ['Support', 'English', 'Other'],
  engagementAttributes: [
    {
      type: 'personal',
      personal: {
        contacts: [{ email: 'test.com', phone: '12345678' }],
        age: { age: 30.0, year: 1985, month: 7, day: 22 },
        firstname: 'test',
        lastname: 'test2',
        gender: 'FEMALE',
        company: 'liveperson',
      },
    },
  ],
}
const pending = tag.getEngagement(request)
expect<Equal<typeof pending, Promise<EngagementResult>>>()
const engagementId = tag.getEngagement().then((result) => result.engagementDetails?.engagementId)
expect<Equal<typeof engagementId, Promise<string | number | undefined>>>()
tag.getEngagement({ consumerSections: ['support'] }).then((result) => {
  if (result.status === 'Available' && result.engagementDetails) {
    const details: EngagementDetails = result.engagementDetails
    console.log(details.campaignId, details.contextId, details.validForSeconds, details.windowId, details.language, details.skillId, details.skillName)
  } else if (result.conversation) {
    console.log('open conversation', result.conversation.conversationId)
  } else if (result.error) {
    console.warn(result.error.code, result.error.message)
  }
  console.log(result.sessionId, result.visitorId, result.pageId)
})

async function check(): Promise<void> {
  const result = await window.lpTag.getEngagement({ vid: 'abc', appDetails: { deviceFamily: 'DESKTOP' } })
  expect<Equal<typeof result.status, 'Available' | 'NotAvailable'>>()
}
void check()

// onEngagement: assign, call, remove.
tag.onEngagement = (result) => {
  expect<Equal<typeof result, EngagementResult>>()
  dataLayer.push({ event: 'lp_engagement', available: result.status === 'Available' })
}
tag.onEngagement?.({ status: 'NotAvailable' })
delete tag.onEngagement

// consent, debug and the read-only fields.
document.querySelector('#accept')?.addEventListener('click', () => tag.consent(true))
tag.consent(false)
tag.debug()
if (tag.loaded) console.log(tag.version, tag.site, tag.app, tag.domain, tag.section, tag.apiVersion)

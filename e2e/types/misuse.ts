// Bad integrator code: every `@ts-expect-error` line must be a type error against dist/tag.d.ts
// (`tsc -p e2e/types` fails on a directive that has no error under it).
import type { OfferEvent } from 'lp-engagement-tag'

const tag = window.lpTag

// events
// @ts-expect-error bind needs a func
tag.events.bind({ appName: 'LP_OFFERS', eventName: 'START' })
// @ts-expect-error bind needs a func
tag.events.bind('LP_OFFERS', 'START')
// @ts-expect-error bind needs an eventName
tag.events.bind({ func: () => {} })
// @ts-expect-error appName is a string
tag.events.bind(1, 'START', () => {})
// @ts-expect-error OfferEvent data has no such field
tag.events.bind<OfferEvent>('LP_OFFERS', 'START', (offer) => offer.engagementTitle)
// @ts-expect-error unbind takes an id string or fields, not a number
tag.events.unbind(5)
// @ts-expect-error unbind fields are strings
tag.events.unbind({ eventName: 7 })
// @ts-expect-error trigger needs an eventName
tag.events.trigger('MY_SHOP')
// @ts-expect-error hasFired entries are typed
void tag.events.hasFired<OfferEvent>('LP_OFFERS', 'START')[0]?.data.engagementTitle
// @ts-expect-error hasFired returns an array, not a boolean
const fired: boolean = tag.events.hasFired('LP_OFFERS', 'START')

// sdes
// @ts-expect-error an SDE needs a type
tag.sdes.push({ total: 11.7 })
// @ts-expect-error an SDE type is a string
tag.sdes.send({ type: 1 })
// @ts-expect-error get takes a type name
tag.sdes.get(5)

// identities
// @ts-expect-error an identity is {iss, acr: "loa1", sub}
tag.identities.push({ acr: '0' })
// @ts-expect-error only "loa1" identities are accepted
tag.identities.push({ iss: 'https://auth.example.com', acr: '0', sub: 'customer-42' })
// @ts-expect-error the callback gets an identity
tag.identities.push((cb) => cb('customer-42'))

// newPage
// @ts-expect-error newPage takes a URL string
tag.newPage(42)
// @ts-expect-error sections are strings
tag.newPage('/checkout', { section: [1] })
// @ts-expect-error a hook is {name, callback}
tag.hooks.push({ name: 'BEFORE_SUBMIT_SDE' })
// @ts-expect-error only the hooks this tag runs
tag.hooks.push({ name: 'AFTER_GET_LINES', callback: (options: object) => options })
// @ts-expect-error the send callback gets whether it was delivered
tag.sdes.send({ type: 'purchase', total: 1 }, (delivered: string) => delivered)

// getEngagement
// @ts-expect-error vid is a string
tag.getEngagement({ vid: 5 })
// @ts-expect-error consumerSections is an array
tag.getEngagement({ consumerSections: 'Support' })
// @ts-expect-error deviceFamily is DESKTOP, TABLET or MOBILE
tag.getEngagement({ appDetails: { deviceFamily: 'PHONE' } })
// @ts-expect-error engagementDetails may be missing
tag.getEngagement().then((result) => result.engagementDetails.engagementId)
// @ts-expect-error status is Available or NotAvailable
tag.getEngagement().then((result) => result.status === 'Busy')
// @ts-expect-error it is a Promise, not a callback API
tag.getEngagement({}, () => {})

// onEngagement
// @ts-expect-error onEngagement receives an EngagementResult
tag.onEngagement = (result: string) => console.log(result)

// consent
// @ts-expect-error consent takes a boolean
tag.consent('yes')
// @ts-expect-error consent needs an argument
tag.consent()

// read-only fields and the global
// @ts-expect-error loaded is read-only
tag.loaded = false
// @ts-expect-error version is read-only
window.lpTag.version = '9.9.9'
// @ts-expect-error window.lpTag is the loaded tag, not a bare config object
window.lpTag = { site: '12345678' }
// @ts-expect-error no such member
tag.getEngagements()

export { fired }

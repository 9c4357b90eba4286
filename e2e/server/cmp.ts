/**
 * A real IAB TCF CMP for the tests and the demo: the IAB's own `CmpApi` (the page's `__tcfapi`) fed
 * with TC strings that the IAB's own `@iabtechlabtcf/core` encodes against a small Global Vendor
 * List fixture (`vendor-list.json`). Bundled for the browser by the page server as `/__cmp.js`;
 * drive it with `window.testCmp`.
 */
import { CmpApi } from '@iabtechlabtcf/cmpapi'
import { GVL, TCModel, TCString } from '@iabtechlabtcf/core'
import vendorList from './vendor-list.json'

/** What the visitor agreed to: purpose 1 for the publisher, purpose 1 in general, these vendors. */
export interface Choice {
  publisher?: boolean
  purpose?: boolean
  vendors?: number[]
}

const CMP_ID = 10
const cmp = new CmpApi(CMP_ID, 1, false)

/** A TC string for `choice`, as a CMP stores it after the visitor's decision. */
async function tcString(choice: Choice): Promise<string> {
  const model = new TCModel(new GVL(vendorList as never))
  await model.gvl.readyPromise
  model.cmpId = CMP_ID
  model.cmpVersion = 1
  if (choice.publisher) model.publisherConsents.set(1)
  if (choice.purpose) model.purposeConsents.set(1)
  for (const vendor of choice.vendors ?? []) model.vendorConsents.set(vendor)
  return TCString.encode(model)
}

const testCmp = {
  /** The consent banner shows: listeners hear `cmpuishown`, no decision yet. */
  showBanner: () => cmp.update('', true),
  /** The visitor's choice: `tcloaded` the first time (a choice stored before), `useractioncomplete` after that. */
  decide: async (choice: Choice) => cmp.update(await tcString(choice), false),
  /** The GDPR does not apply to this visitor. */
  notApplies: () => cmp.update(null),
}

;(window as unknown as { testCmp: typeof testCmp }).testCmp = testCmp

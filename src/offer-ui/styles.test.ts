import { test, expect } from '@playwright/test'
import fc from 'fast-check'
import { contrast, readableOn } from './styles.ts'

// The button's label on a brand's accent (contrast section 6: WCAG AA), for every colour a catalog
// may give. The browser tests run axe on each format with one black-ink and one white-ink accent.

const hex = (digits: number) => fc.array(fc.integer({ min: 0, max: 15 }), { minLength: digits, maxLength: digits }).map((all) => `#${all.map((d) => d.toString(16)).join('')}`)

test('contrast follows WCAG: 21:1 for black on white, 1:1 for a colour on itself, symmetric', () => {
  expect(contrast('#000', '#fff')).toBeCloseTo(21, 5)
  expect(contrast('#0b63ce', '#0b63ce')).toBe(1)
  expect(contrast('#767676', '#fff')).toBeCloseTo(4.54, 2)
  fc.assert(fc.property(hex(6), hex(3), (a, b) => contrast(a, b) === contrast(b, a) && contrast(a, b) >= 1 && contrast(a, b) <= 21))
})

test('the label on any accent (#rgb or #rrggbb) is black or white at 4.5:1 or more, whichever contrasts more', () => {
  fc.assert(
    fc.property(fc.oneof(hex(6), hex(3)), (accent) => {
      const ink = readableOn(accent)
      const other = ink === '#000' ? '#fff' : '#000'
      return contrast(ink, accent) >= 4.5 && contrast(ink, accent) >= contrast(other, accent)
    }),
    { numRuns: 5000 },
  )
  expect([readableOn('#ffcc00'), readableOn('#123456'), readableOn('#0b63ce'), readableOn('#777777')]).toEqual(['#000', '#fff', '#fff', '#000'])
})

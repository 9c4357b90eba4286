import { test, expect } from '@playwright/test'
import { clientProperties } from './client.ts'

const cases: [string, string, number, object][] = [
  ['Windows Chrome', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36', 0,
    { deviceFamily: 'DESKTOP', os: 'WINDOWS', osVersion: '10.0' }],
  ['macOS Safari', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15', 0,
    { deviceFamily: 'DESKTOP', os: 'MAC_OSX', osVersion: '10.15.7' }],
  ['iPadOS claiming to be a Mac', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15', 5,
    { deviceFamily: 'TABLET', os: 'IOS' }],
  ['iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 5,
    { deviceFamily: 'MOBILE', os: 'IOS', osVersion: '17.4.1' }],
  ['Android phone', 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36', 5,
    { deviceFamily: 'MOBILE', os: 'ANDROID', osVersion: '14' }],
  ['Android tablet', 'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36', 5,
    { deviceFamily: 'TABLET', os: 'ANDROID', osVersion: '13' }],
  ['Linux desktop', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36', 0,
    { deviceFamily: 'DESKTOP', os: 'LINUX' }],
  ['unknown agent', 'curl/8.0', 0, { deviceFamily: 'DESKTOP' }],
]

for (const [name, ua, touch, expected] of cases) {
  test(`client properties: ${name}`, () => {
    expect(clientProperties(ua, touch, '1.2.3')).toEqual({ appVersion: '1.2.3', ...expected })
  })
}

/** `clientProperties` of the engagement request, from what the browser says about itself. */
export interface ClientProperties {
  appVersion: string
  deviceFamily: 'DESKTOP' | 'TABLET' | 'MOBILE'
  os?: 'WINDOWS' | 'MAC_OSX' | 'LINUX' | 'IOS' | 'ANDROID'
  osVersion?: string
}

/** Each OS with the user-agent pattern that names it; the first that matches wins. */
const SYSTEMS: [NonNullable<ClientProperties['os']>, RegExp][] = [
  ['IOS', /iPhone|iPad|iPod/],
  ['ANDROID', /Android/],
  ['WINDOWS', /Windows/],
  ['MAC_OSX', /Mac OS X|Macintosh/],
  ['LINUX', /Linux|X11|CrOS/],
]

/**
 * Reads device family and OS from the user-agent string. `touchPoints` matters because iPadOS 13+
 * claims to be a Mac ("Macintosh; Intel Mac OS X") and only touch support gives it away; its Mac
 * version number is then no iOS version (https://github.com/bowser-js/bowser/issues/329).
 */
export function clientProperties(ua: string, touchPoints: number, appVersion: string): ClientProperties {
  const fakeMac = /Macintosh/.test(ua) && touchPoints > 1
  const tablet = /iPad|Tablet/.test(ua) || fakeMac || (/Android/.test(ua) && !/Mobile/.test(ua))
  const props: ClientProperties = {
    appVersion,
    deviceFamily: tablet ? 'TABLET' : /Mobi|iPhone|iPod/.test(ua) ? 'MOBILE' : 'DESKTOP',
  }
  const os = fakeMac ? 'IOS' : SYSTEMS.find(([, pattern]) => pattern.test(ua))?.[0]
  // "iPhone OS 17_4_1", "Android 14", "Windows NT 10.0", "Mac OS X 10_15_7"
  const version = !fakeMac && /(?:Mac OS X|OS|Android|NT) (\d+(?:[._]\d+){0,2})/.exec(ua)?.[1]
  if (os) props.os = os
  if (version) props.osVersion = version.replace(/_/g, '.')
  return props
}

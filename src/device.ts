/** `clientProperties` of the engagement request, from what the browser says about itself. */
export interface ClientProperties {
  appVersion: string
  deviceFamily: 'DESKTOP' | 'TABLET' | 'MOBILE'
  os?: 'WINDOWS' | 'MAC_OSX' | 'LINUX' | 'IOS' | 'ANDROID'
  osVersion?: string
}

/**
 * Reads device family and OS from the user-agent string. `touchPoints` matters because iPadOS 13+
 * claims to be a Mac ("Macintosh; Intel Mac OS X") and only touch support gives it away.
 */
export function clientProperties(ua: string, touchPoints: number, appVersion: string): ClientProperties {
  const fakeMac = /Macintosh/.test(ua) && touchPoints > 1
  const ios = /iPhone|iPad|iPod/.test(ua) || fakeMac
  const android = /Android/.test(ua)
  const tablet = /iPad|Tablet/.test(ua) || fakeMac || (android && !/Mobile/.test(ua))
  const props: ClientProperties = {
    appVersion,
    deviceFamily: tablet ? 'TABLET' : /Mobi|iPhone|iPod/.test(ua) ? 'MOBILE' : 'DESKTOP',
  }
  let version: RegExpMatchArray | null = null
  if (ios) {
    props.os = 'IOS'
    version = ua.match(/OS (\d+[_.]\d+(?:[_.]\d+)?) like/)
  } else if (android) {
    props.os = 'ANDROID'
    version = ua.match(/Android (\d+(?:\.\d+)*)/)
  } else if (/Windows/.test(ua)) {
    props.os = 'WINDOWS'
    version = ua.match(/Windows NT (\d+\.\d+)/)
  } else if (/Mac OS X|Macintosh/.test(ua)) {
    props.os = 'MAC_OSX'
    version = ua.match(/Mac OS X (\d+[_.]\d+(?:[_.]\d+)?)/)
  } else if (/Linux|X11|CrOS/.test(ua)) {
    props.os = 'LINUX'
  }
  if (version?.[1]) props.osVersion = version[1].replace(/_/g, '.')
  return props
}

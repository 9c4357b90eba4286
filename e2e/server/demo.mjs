// @ts-check
// `npm start`: the emulator and the demo site, on two origins, as a customer's page would see them.
import { createEmulator } from './emulator.mjs'
import { createPageServer } from './static.mjs'

const apiPort = Number(process.env.API_PORT ?? 8081)
const pagePort = Number(process.env.PORT ?? 8080)

const emulator = await createEmulator({ port: apiPort })
const site = await createPageServer({ port: pagePort, apiOrigin: emulator.url })
console.log(`Monitoring API emulator: ${emulator.url}`)
console.log(`Demo:                    ${site.url}/`)
console.log('Ctrl+C to stop.')

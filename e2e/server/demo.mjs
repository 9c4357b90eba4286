// @ts-check
// `npm start`: the emulator and the demo site, on two origins, as a customer's page would see them.
import { createEmulator } from './emulator.mjs'
import { createPageServer } from './static.mjs'

const apiPort = Number(process.env.API_PORT ?? 8081)
const pagePort = Number(process.env.PORT ?? 8080)

/**
 * Starts a server; a port already taken (a second `npm start`, another dev server) ends the demo
 * with one line naming the variable that moves it, not a stack trace.
 * @template T @param {() => Promise<T>} start @param {string} variable @param {number} port @returns {Promise<T>}
 */
async function onPort(start, variable, port) {
  try {
    return await start()
  } catch (error) {
    if (/** @type {{code?: string}} */ (error)?.code !== 'EADDRINUSE') throw error
    console.error(`Port ${port} is in use: free it, or pick another with ${variable}, e.g. ${variable}=${port + 10} npm start`)
    process.exit(1)
  }
}

const emulator = await onPort(() => createEmulator({ port: apiPort }), 'API_PORT', apiPort)
const site = await onPort(() => createPageServer({ port: pagePort, apiOrigin: emulator.url }), 'PORT', pagePort)
console.log(`Monitoring API emulator: ${emulator.url}`)
console.log(`Demo:                    ${site.url}/`)
console.log('Ctrl+C to stop.')

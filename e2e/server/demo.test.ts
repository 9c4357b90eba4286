import { test, expect } from '@playwright/test'
import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:net'

/** `npm start`'s servers, run as the demo runs them, with the environment given. */
const startDemo = (env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['e2e/server/demo.mjs'], { env: { ...process.env, ...env }, timeout: 10_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    )
  })

/** A port some other program holds, on every loopback address the demo may bind. */
async function takenPort(): Promise<[number, Server]> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, () => resolve()))
  return [(server.address() as { port: number }).port, server]
}

for (const variable of ['PORT', 'API_PORT']) {
  test(`a busy ${variable} at npm start: one line naming ${variable}, exit code 1`, async () => {
    const [port, holder] = await takenPort()
    try {
      const other = variable === 'PORT' ? 'API_PORT' : 'PORT'
      const { code, stderr } = await startDemo({ [variable]: String(port), [other]: '0' })
      expect(code).toBe(1)
      expect(stderr.trim().split('\n')).toEqual([`Port ${port} is in use: free it, or pick another with ${variable}, e.g. ${variable}=${port + 10} npm start`])
    } finally {
      holder.close()
    }
  })
}

import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter'

interface Row {
  passed: number
  failed: number
  skipped: number
  first: number
  last: number
  /** The browser's own version, from the `engine` annotation the scenarios' fixture adds. */
  version: string
}

/**
 * After the list reporter's lines, one table: each project (unit, the Chromium suite, and the
 * cross-engine scenarios on chromium, firefox and webkit) with its pass counts and the wall time
 * from its first test's start to its last test's end.
 */
export default class EngineReport implements Reporter {
  private rows = new Map<string, Row>()

  onTestEnd(test: TestCase, result: TestResult) {
    const project = test.parent.project()?.name ?? '?'
    const row = this.rows.get(project) ?? { passed: 0, failed: 0, skipped: 0, first: Infinity, last: 0, version: '' }
    const start = result.startTime.getTime()
    row.first = Math.min(row.first, start)
    row.last = Math.max(row.last, start + result.duration)
    if (result.status === 'skipped') row.skipped++
    else if (result.status === test.expectedStatus) row.passed++
    else row.failed++
    const annotations = [...test.annotations, ...((result as { annotations?: TestCase['annotations'] }).annotations ?? [])]
    row.version ||= annotations.find((a) => a.type === 'engine')?.description ?? ''
    this.rows.set(project, row)
  }

  onEnd(_result: FullResult) {
    if (!this.rows.size) return
    const lines = [...this.rows].map(([project, r]) =>
      `${project.padEnd(10)}${String(r.passed).padStart(7)}${String(r.failed).padStart(7)}${String(r.skipped).padStart(8)}${`${((r.last - r.first) / 1000).toFixed(1)} s`.padStart(10)}  ${r.version}`,
    )
    console.log(`\nproject    passed failed skipped      wall  engine\n${lines.join('\n')}`)
  }

  printsToStdio() {
    return false
  }
}

/**
 * MyRecordApi as forgetting a link sees it, for tests that mock it:
 *   vi.mock('…/src/renderer/records/recordsApi', () => import('…/fakeRecordsApi'))
 * A code in `records` answers with those lessons; any other code's server
 * does not answer. `asked` lists the codes asked, in order.
 */
export const records = new Map<string, { id: string }[]>()
export const asked: string[] = []

export class MyRecordApi {
  constructor(
    readonly url: string,
    private readonly code: string,
  ) {}

  async record(): Promise<{ lessons: { id: string }[] }> {
    asked.push(this.code)
    const lessons = records.get(this.code)
    if (!lessons) throw new Error('connect ECONNREFUSED')
    return { lessons }
  }
}

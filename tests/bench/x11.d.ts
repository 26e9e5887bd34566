// The few calls of the `x11` package (no types of its own) the screen poller uses.
declare module 'x11' {
  interface XClient {
    GetImage(format: number, drawable: number, x: number, y: number, width: number, height: number, planeMask: number, cb: (error: Error | null, image: { data: Buffer }) => void): void
  }
  interface XDisplay {
    client: XClient
    screen: { root: number }[]
  }
  export function createClient(cb: (error: Error | null, display: XDisplay) => void): void
}

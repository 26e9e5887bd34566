import { createServer, connect, type Server, type Socket } from 'node:net'

/**
 * A loopback TCP proxy a test can cut: `drop()` kills every connection through
 * it and refuses new ones until `restore()`, as a student's Wi-Fi going away.
 */
export class TcpProxy {
  private readonly server: Server
  private readonly sockets = new Set<Socket>()
  private down = false
  port = 0

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => {
      if (this.down) {
        client.destroy()
        return
      }
      const upstream = connect(this.targetPort, '127.0.0.1')
      for (const socket of [client, upstream]) {
        this.sockets.add(socket)
        socket.on('close', () => this.sockets.delete(socket))
        socket.on('error', () => socket.destroy())
      }
      client.pipe(upstream)
      upstream.pipe(client)
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
    })
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    const address = this.server.address()
    this.port = typeof address === 'object' && address ? address.port : 0
    return `http://127.0.0.1:${this.port}`
  }

  drop(): void {
    this.down = true
    for (const socket of this.sockets) socket.destroy()
  }

  restore(): void {
    this.down = false
  }

  async stop(): Promise<void> {
    this.drop()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}

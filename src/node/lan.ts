import { networkInterfaces } from 'node:os'

/** http://<ip>:<port> for every non-internal IPv4 address of this machine. */
export function lanAddresses(port: number): string[] {
  const out: string[] = []
  for (const list of Object.values(networkInterfaces())) {
    for (const addr of list ?? []) {
      if (addr.family === 'IPv4' && !addr.internal) out.push(`http://${addr.address}:${port}`)
    }
  }
  return out
}

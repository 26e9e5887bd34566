import { z } from 'zod'

const IceUrlSchema = z.string().regex(/^(stun|stuns|turn|turns):[^\s]+$/, 'stun:, stuns:, turn: or turns: URL')

/** RTCIceServer as handed to clients (from server config). */
export const IceServerSchema = z.object({
  urls: z.union([IceUrlSchema, z.array(IceUrlSchema).min(1).max(8)]),
  username: z.string().max(256).optional(),
  credential: z.string().max(256).optional(),
})
export type IceServer = z.infer<typeof IceServerSchema>

/** RTCIceTransportPolicy: 'relay' sends every media packet through the TURN server (strict school networks, the network lab). */
export const IceTransportPolicySchema = z.enum(['all', 'relay'])
export type IceTransportPolicy = z.infer<typeof IceTransportPolicySchema>

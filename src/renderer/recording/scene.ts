/**
 * What the recording shows. The lesson room provides it (roomScene.ts);
 * other features plug in a MainAreaSource to take over the big area.
 */

/** Something that can fill the recording's main area; the whiteboard plugs its canvas in here. */
export interface MainAreaSource {
  /** The picture to record now, or null to leave the main area to the shared screen or camera. */
  mainArea(): CanvasImageSource | null
}

export interface RecordingTile {
  label: string
  source: CanvasImageSource | null
  /** One's own camera, as the room shows it. */
  mirrored: boolean
}

export interface RecordingScene extends MainAreaSource {
  /** 'content' = a screen or the whiteboard (shown whole, cameras beside it); 'camera' = the other person. */
  mainKind(): 'content' | 'camera'
  /** Name written on the main area when it is a camera. */
  mainLabel(): string
  /** Camera tiles with name labels. */
  tiles(): RecordingTile[]
  /** Called once per frame before drawing (keeps hidden video elements in step with the room). */
  refresh?(): void
  dispose?(): void
}

/** Pixel size of an image source, or 0x0 while a video has no frame yet. */
export function sourceSize(source: CanvasImageSource): { width: number; height: number } {
  if (typeof HTMLVideoElement !== 'undefined' && source instanceof HTMLVideoElement) return { width: source.videoWidth, height: source.videoHeight }
  if (typeof HTMLImageElement !== 'undefined' && source instanceof HTMLImageElement) return { width: source.naturalWidth, height: source.naturalHeight }
  if (typeof VideoFrame !== 'undefined' && source instanceof VideoFrame) return { width: source.displayWidth, height: source.displayHeight }
  const sized = source as { width: number | { baseVal: { value: number } }; height: number | { baseVal: { value: number } } }
  const value = (v: number | { baseVal: { value: number } }) => (typeof v === 'number' ? v : v.baseVal.value)
  return { width: value(sized.width), height: value(sized.height) }
}

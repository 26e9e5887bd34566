/**
 * WebRTC field trials the desktop app starts Chromium with
 * (`--force-fieldtrials`, appended in index.ts before the app is ready).
 * They are browser-wide settings of Chromium's WebRTC, which a page cannot
 * set: a student who joins from a browser link runs Chromium's defaults, and
 * the network bench measures both (tests/bench/network.ts, `_browser`).
 *
 * A bandwidth estimate that tolerates a lossy radio link. Chromium's
 * loss-based estimator (LossBasedBweV2) treats loss above 5 % as a sign of
 * sending too much, and once loss passes 15 % it stops preferring a higher
 * estimate and does not raise the estimate while the loss it blames on the
 * link is below the loss it sees. On a 4G link that loses a fifth of its
 * packets whatever the rate, that holds the estimate at 90-300 kbit/s and
 * drags it down to what is sent: the camera's encoder sits at its floor at
 * 4-10 frames a second and the picture freezes (docs/bench-history.md,
 * 2026-12-07). With these parameters loss up to 25 % may be the link's own,
 * and the estimate keeps looking for more while loss stays under 30 %; the
 * delay-based estimator, which sees a queue fill before it overflows, still
 * bounds the estimate on a congested link. The cost, on a link that drops
 * without queueing (a policer), is sending up to about a quarter more than it
 * carries before loss alone brings the estimate down.
 *
 * Electron reads the switch as Chromium does (shell/browser/feature_list.cc,
 * InitializeFieldTrials) and hands the trials to the renderers, where WebRTC
 * runs. The parameters are LossBasedBweV2's own (libwebrtc
 * modules/congestion_controller/goog_cc/loss_based_bwe_v2.cc); WebRTC ignores
 * a parameter it does not know, so a Chromium that renames one falls back to
 * its default rather than failing.
 */
const LOSS_BASED_BWE_V2: Readonly<Record<string, string>> = {
  // Loss up to this share may be inherent to the link (default 0.05)...
  InherentLossUpperBoundOffset: '0.25',
  // ...and does not cap the estimate on its own (default 0.05).
  InstantUpperBoundLossOffset: '0.25',
  // Keep preferring a higher estimate up to this loss (default 0.15).
  LossThresholdOfHighBandwidthPreference: '0.3',
  // Raise the estimate even while the loss seen is above the loss blamed on the link (default true).
  NotIncreaseIfInherentLossLessThanAverageLoss: 'false',
}

function trial(name: string, params: Readonly<Record<string, string>>): string {
  return `${name}/${Object.entries(params)
    .map(([key, value]) => `${key}:${value}`)
    .join(',')}/`
}

/** The value of Chromium's `--force-fieldtrials` switch: `Trial/Group/` pairs, the group carrying the parameters. */
export const WEBRTC_FIELD_TRIALS = trial('WebRTC-Bwe-LossBasedBweV2', LOSS_BASED_BWE_V2)

/** The switch as a command-line argument, for a Chromium started outside Electron (the network lab's "app" client). */
export const WEBRTC_FIELD_TRIALS_ARG = `--force-fieldtrials=${WEBRTC_FIELD_TRIALS}`

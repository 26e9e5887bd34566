#!/bin/sh
# Makes the chat's new-message sound (src/renderer/public/sounds/chat-message.ogg):
# two soft sine notes, E6 then A6, 90 ms and 160 ms with quick fades, mono 24 kHz Vorbis.
# Needs Debian's sox (apt-get install sox libsox-fmt-all). Run from the repository root.
set -eu
out=src/renderer/public/sounds/chat-message.ogg
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sox -n -r 24000 -c 1 "$tmp/a.wav" synth 0.09 sine 1318.5 fade q 0.005 0.09 0.05 vol 0.35
sox -n -r 24000 -c 1 "$tmp/b.wav" synth 0.16 sine 1760 fade q 0.005 0.16 0.12 vol 0.3
sox "$tmp/a.wav" "$tmp/b.wav" -C 3 "$out"
soxi "$out"

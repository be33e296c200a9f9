#!/usr/bin/env python3
# bench/sfx_onsets.py -- the onsets in a recording of the game's sound (raw stereo float32 at
# 48 kHz, little-endian, as SDL's disk driver writes it): one line per sound that starts, with
# its time, its peak and a rough pitch (zero crossings). Given the client's $NINE43_SFX_LOG too,
# it matches each sound the game played (at the mixer's frame count when it was queued) with an
# onset in the recording, and says which were heard where. Standard library only.
import array
import sys

RATE = 48000
WIN = 480          # 10 ms windows
FLOOR = 0.02       # a window quieter than this is no onset
RISE = 2.5         # an onset: a window this many times louder than the 50 ms before it
GAP = 5            # windows between two onsets at least
PITCH_FRAMES = 1920  # 40 ms of the left channel for the zero-crossing pitch
# A sound queued at mixer frame F starts in the next callback: within a callback (512 frames,
# 11 ms) and the detector's window after F.
MATCH_BEFORE, MATCH_AFTER = 0.010, 0.035


def onsets(pcm):
    frames = len(pcm) // 2
    env = [max(abs(x) for x in pcm[w * WIN * 2:(w + 1) * WIN * 2]) for w in range(frames // WIN)]
    found, last = [], -GAP
    for i in range(1, len(env)):
        before = max(env[max(0, i - 5):i])
        if env[i] > FLOOR and env[i] > RISE * before and i - last >= GAP:
            last = i
            left = pcm[i * WIN * 2:(i * WIN + PITCH_FRAMES) * 2:2]
            zc = sum(1 for a, b in zip(left, left[1:]) if (a < 0) != (b < 0))
            found.append((i * WIN / RATE, max(env[i:i + 10]), zc / 2 / (PITCH_FRAMES / RATE)))
    return found


def match(found, log_path):
    heard, total, by_sound = 0, 0, {}
    t0 = None
    with open(log_path) as f:
        for line in f:
            ms, frames, name, volume, pan = line.split()
            t0 = int(ms) if t0 is None else t0
            t = int(frames) / RATE
            hit = [o for o in found if t - MATCH_BEFORE <= o[0] <= t + MATCH_AFTER]
            total += 1
            heard += bool(hit)
            got = by_sound.setdefault(name, [0, 0])
            got[0] += bool(hit)
            got[1] += 1
            print("%7.3f s in the file (%6.3f s of wall clock)  %-12s vol %s pan %5s  %s" %
                  (t, (int(ms) - t0) / 1000, name, volume, pan,
                   "onset at %.3f s" % hit[0][0] if hit else "under a louder sound"))
    print("# %d of %d sounds start a detected onset; by sound: %s" %
          (heard, total, ", ".join("%s %d/%d" % (k, v[0], v[1]) for k, v in sorted(by_sound.items()))))


def main(path, log_path=None):
    pcm = array.array("f")
    with open(path, "rb") as f:
        pcm.frombytes(f.read())
    if sys.byteorder != "little":
        pcm.byteswap()
    found = onsets(pcm)
    if log_path:
        match(found, log_path)
        return
    for t, peak, hz in found:
        print("%7.3f s  peak %.3f  ~%4d Hz" % (t, peak, hz))


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: sfx_onsets.py RECORDING.raw [SFX_LOG]")
    main(*sys.argv[1:])

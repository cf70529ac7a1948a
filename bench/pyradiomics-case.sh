#!/usr/bin/env bash
# Whole-process time of `habitat extract` on brain1 with PyRadiomics' default settings, median of N runs (default 7),
# for three parameter files in settings/pyradiomics/: default.yaml (all Original features), log.yaml (+ LoG σ 1, 2,
# 3 mm) and log-wavelet.yaml (+ LoG + the 8 wavelet bands); each with the `dotnet build` output (JIT at run time) and
# with a ReadyToRun publish (precompiled, as a deployment would ship it).
# Usage: bench/pyradiomics-case.sh [N] [configuration...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
reference="${HABITAT_REFERENCE:-$root/../shared/reference}"
runs="${1:-7}"
shift || true
configurations=("$@")
((${#configurations[@]})) || configurations=(default log log-wavelet)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
dotnet build -c Release "$root/src/Habitat.Cli" -nodeReuse:false -v quiet >/dev/null
dotnet publish "$root/src/Habitat.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$out/r2r" -nodeReuse:false -v quiet >/dev/null
declare -A builds=([jit]="$root/src/Habitat.Cli/bin/Release/net10.0/habitat.dll" [readytorun]="$out/r2r/habitat.dll")
for configuration in "${configurations[@]}"; do
  for build in jit readytorun; do
    times=()
    for ((run = 0; run < runs; run++)); do
      start=$(date +%s.%N)
      dotnet "${builds[$build]}" extract --image "$reference/pyradiomics/brain1_image.nrrd" --mask "$reference/pyradiomics/brain1_label.nrrd" \
        --params "$root/settings/pyradiomics/$configuration.yaml" --names pyradiomics --out "$out/features.csv" >/dev/null
      end=$(date +%s.%N)
      times+=("$(echo "$end - $start" | bc -l)")
    done
    columns=$(head -1 "$out/features.csv" | tr ',' '\n' | wc -l)
    printf '%s\n' "${times[@]}" | sort -n | awk -v n="$runs" -v c="$configuration" -v b="$build" -v k="$columns" '{ t[NR] = $1 } END {
      median = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
      printf "brain1, %s (%d columns), %s, whole process: median %.3f s over %d runs (min %.3f, max %.3f)\n", c, k, b, median, n, t[1], t[n] }'
  done
done

#!/usr/bin/env bash
# Whole-process time of `habitat extract` on brain1 with PyRadiomics' default settings, median of N runs (default 7),
# for three parameter files in settings/pyradiomics/: default.yaml (all Original features), log.yaml (+ LoG σ 1, 2,
# 3 mm) and log-wavelet.yaml (+ LoG + the 8 wavelet bands). Usage: bench/pyradiomics-case.sh [N] [configuration...]
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
habitat="$root/src/Habitat.Cli/bin/Release/net10.0/habitat.dll"
for configuration in "${configurations[@]}"; do
  times=()
  for ((run = 0; run < runs; run++)); do
    start=$(date +%s.%N)
    dotnet "$habitat" extract --image "$reference/pyradiomics/brain1_image.nrrd" --mask "$reference/pyradiomics/brain1_label.nrrd" \
      --params "$root/settings/pyradiomics/$configuration.yaml" --names pyradiomics --out "$out/features.csv" >/dev/null
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  columns=$(head -1 "$out/features.csv" | tr ',' '\n' | wc -l)
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$runs" -v c="$configuration" -v k="$columns" '{ t[NR] = $1 } END {
    median = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
    printf "brain1, %s (%d columns), whole process: median %.3f s over %d runs (min %.3f, max %.3f)\n", c, k, median, n, t[1], t[n] }'
done

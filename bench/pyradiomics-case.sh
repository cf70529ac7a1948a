#!/usr/bin/env bash
# Whole-process time of `habitat extract` of all Original features with PyRadiomics' default settings on brain1
# (settings/pyradiomics/default.yaml), median of N runs (default 7). Usage: bench/pyradiomics-case.sh [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
reference="${HABITAT_REFERENCE:-$root/../shared/reference}"
runs="${1:-7}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
dotnet build -c Release "$root/src/Habitat.Cli" -nodeReuse:false -v quiet >/dev/null
habitat="$root/src/Habitat.Cli/bin/Release/net10.0/habitat.dll"
times=()
for ((run = 0; run < runs; run++)); do
  start=$(date +%s.%N)
  dotnet "$habitat" extract --image "$reference/pyradiomics/brain1_image.nrrd" --mask "$reference/pyradiomics/brain1_label.nrrd" \
    --params "$root/settings/pyradiomics/default.yaml" --names pyradiomics --out "$out/features.csv" >/dev/null
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc -l)")
done
printf '%s\n' "${times[@]}" | sort -n | awk -v n="$runs" '{ t[NR] = $1 } END {
  median = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
  printf "brain1, default Original features, whole process: median %.3f s over %d runs (min %.3f, max %.3f)\n", median, n, t[1], t[n] }'

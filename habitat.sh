#!/usr/bin/env bash
# Runs the habitat command line from source: ./habitat.sh <command> [options]
exec dotnet run -c Release --project "$(dirname "$0")/src/Habitat.Cli" -- "$@"

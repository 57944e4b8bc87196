#!/usr/bin/env bash
# Passes test output through and ends it with one plain closing line that
# adds up every runner's results: "tests: N passed, N failed".
set -uo pipefail
passed=0 failed=0 skipped=0
while IFS= read -r line; do
  printf '%s\n' "$line"
  if [[ $line =~ ^test\ result:\ [a-zA-Z]+\.\ ([0-9]+)\ passed\;\ ([0-9]+)\ failed\;\ ([0-9]+)\ ignored ]]; then
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2])); skipped=$((skipped + BASH_REMATCH[3]))
  elif [[ $line =~ ^#\ (pass|fail|skipped)\ ([0-9]+)$ ]]; then   # node --test
    case ${BASH_REMATCH[1]} in
      pass) passed=$((passed + BASH_REMATCH[2]));; fail) failed=$((failed + BASH_REMATCH[2]));;
      skipped) skipped=$((skipped + BASH_REMATCH[2]));; esac
  fi
done
echo
echo "tests: $passed passed, $failed failed, $skipped skipped"

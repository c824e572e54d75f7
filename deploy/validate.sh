#!/usr/bin/env bash
# Checks the deployment files with the tools at hand; needs neither a Docker engine nor a cluster.
# Each check is skipped, with a message, when its tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failed=0

step() { printf '\n== %s\n' "$*"; }

step "docker-compose.yml"
if docker compose version >/dev/null 2>&1; then
    docker compose config --quiet && echo "valid (docker compose config)" || failed=1
elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose config --quiet && echo "valid (docker-compose config)" || failed=1
else
    echo "SKIPPED: neither 'docker compose' nor docker-compose is installed"
fi

step "deploy/nginx/nginx.conf"
# nginx -t resolves every upstream host name, and app1..app3 exist only on the compose network.
# So the check runs on a copy where appN becomes 127.0.0.N (loopback, resolves nowhere else),
# with the pid file and temporary files in a scratch folder; every other line is unchanged.
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
if [ -x "$nginx_bin" ]; then
    temp_paths=""
    for module in client_body proxy fastcgi uwsgi scgi; do
        if "$nginx_bin" -V 2>&1 | grep -q -- "--http-${module//_/-}-temp-path="; then
            temp_paths+="\n    ${module}_temp_path $tmp/$module;"
        fi
    done
    sed -E -e 's/server app([0-9]+):8080/server 127.0.0.\1:8080/' \
           -e "s#^pid .*#pid $tmp/nginx.pid;#" \
           -e "s#^http \\{\$#http {$temp_paths#" \
           deploy/nginx/nginx.conf > "$tmp/nginx.conf"
    cp deploy/nginx/spindle_proxy_headers.conf "$tmp/"
    if diff <(grep -v -E '^\s*(server 127|pid |[a-z_]+_temp_path )' "$tmp/nginx.conf") \
            <(grep -v -E '^\s*(server app|pid )' deploy/nginx/nginx.conf) >/dev/null; then
        "$nginx_bin" -t -p "$tmp" -c "$tmp/nginx.conf" || failed=1
    else
        echo "the generated copy differs in more than upstream hosts, pid and temp paths"; failed=1
    fi
else
    echo "SKIPPED: nginx is not installed (apt-get install nginx-light)"
fi

step "deploy/prometheus/ (configuration, alert rules and their unit tests)"
if command -v promtool >/dev/null 2>&1; then
    promtool check config deploy/prometheus/prometheus.yml || failed=1
    promtool check rules deploy/prometheus/alerts.yml || failed=1
    (cd deploy/prometheus && promtool test rules alerts.test.yml) || failed=1
else
    echo "SKIPPED: promtool is not installed (apt-get install prometheus)"
fi

step "deploy/grafana/dashboards/*.json"
python3 - deploy/grafana/dashboards/*.json <<'PY' || failed=1
import json, sys
for path in sys.argv[1:]:
    panels = [p for p in json.load(open(path))["panels"] if p["type"] != "row"]
    missing = [p["title"] for p in panels if not all(t.get("expr") for t in p.get("targets", [])) or not p.get("targets")]
    assert not missing, f"{path}: panels without a PromQL expression: {missing}"
    print(f"{path}: {len(panels)} panels, each with PromQL")
PY

step "deploy/k8s/*.yaml"
if command -v kubectl >/dev/null 2>&1 && kubectl version --request-timeout=2s >/dev/null 2>&1; then
    kubectl apply --dry-run=server -f deploy/k8s/ || failed=1
elif python3 -c 'import yaml' 2>/dev/null; then
    # No cluster to ask: check that each file is YAML with the fields every object needs.
    python3 - deploy/k8s/*.yaml <<'PY' || failed=1
import sys, yaml
for path in sys.argv[1:]:
    for doc in yaml.safe_load_all(open(path)):
        missing = [k for k in ("apiVersion", "kind", "metadata", "spec") if k not in doc]
        assert not missing, f"{path}: {doc.get('kind')} lacks {missing}"
        print(f"{path}: {doc['kind']} {doc['metadata']['name']} parses")
PY
else
    echo "SKIPPED: neither a reachable cluster nor python3 with PyYAML"
fi

exit "$failed"

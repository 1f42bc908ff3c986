# Functions the container checks share (deploy/verify, deploy/verify-cluster): sourced, not run.
# The sourcing script sets: project (compose project name), work (its directory), compose_files (-f ... list),
# keep (true leaves the containers running at exit).
export CONTAINERS_CONF="$PWD/deploy/containers.conf"
version=0.1.0-SNAPSHOT
socket="$work/podman.sock"
mkdir -p "$work"
export DOCKER_HOST="unix://$socket"
compose=(docker-compose --project-name "$project" --env-file "$work/verify.env" "${compose_files[@]}")
passed=0
failed=0
started=$SECONDS
steps=()
pids=()

need=()
for tool in podman runc debootstrap docker-compose; do
  command -v "$tool" > /dev/null 2>&1 || need+=("$tool")
done
if [ "${#need[@]}" -gt 0 ]; then
  echo "Installing ${need[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" > /dev/null
fi

step_began=$SECONDS
step() { # name: closes the previous step's timing and starts one
  if [ -n "${step_name:-}" ]; then
    steps+=("$(printf '%-62s %5d s' "$step_name" $((SECONDS - step_began)))")
  fi
  step_name="$1"
  step_began=$SECONDS
  echo "== $1"
}

check() { # description command...
  local what="$1"; shift
  if "$@"; then
    echo "  ok    $what"
    passed=$((passed + 1))
  else
    echo "  FAIL  $what"
    failed=$((failed + 1))
  fi
}

container_of() { # service
  podman ps -a --filter "label=com.docker.compose.project=$project" \
    --filter "label=com.docker.compose.service=$1" --format '{{.Names}}' | head -n 1
}

last_logs() { # service
  local name
  name="$(container_of "$1")"
  echo "        $1: its last log lines:"
  [ -n "$name" ] && podman logs --tail 25 "$name" 2>&1 | sed 's/^/        /'
}

# No systemd here runs the health checks: this loop runs them, so that compose's service_healthy conditions
# and the restart policy see them. A container not yet healthy is checked every 5 s, a healthy one every 30 s:
# each check is a process started in the container, which on 2 cores with 20 containers is load worth sparing.
health_loop() {
  declare -A last_checked
  local name status now
  while true; do
    now=$SECONDS
    while read -r name status; do
      if [[ "$status" == *"(healthy)"* ]] && [ $((now - ${last_checked[$name]:-0})) -lt 30 ]; then
        continue
      fi
      # Not from the loop's input: the check would read the rest of the container list.
      podman healthcheck run "$name" < /dev/null > /dev/null 2>&1 || true
      last_checked[$name]=$now
    done < <(podman ps --filter "label=com.docker.compose.project=$project" --format '{{.Names}} {{.Status}}')
    sleep 5
  done
}

# The machine's peak memory in use over the run, sampled every 2 s.
memory_loop() {
  local peak=0 used
  while true; do
    used="$(free -m | awk '/^Mem:/ {print $3}')"
    [ "$used" -gt "$peak" ] && peak="$used" && echo "$peak" > "$work/peak-memory-mb"
    sleep 2
  done
}

cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2> /dev/null || true
  done
  if [ "$keep" = false ] && [ -S "$socket" ]; then
    "${compose[@]}" down --volumes --remove-orphans --timeout 30 > /dev/null 2>&1 || true
  fi
  [ -n "${service_pid:-}" ] && kill "$service_pid" 2> /dev/null || true
  return 0
}

# Docker's API on podman's socket, for docker-compose.
start_podman_service() {
  podman system service --time=0 "unix://$socket" > "$work/podman-service.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.2; done
}

# Fresh secrets for this run, and the local bases in place of the public ones.
secret() { python3 -c 'import secrets; print(secrets.token_urlsafe(24))'; }
write_env() {
  umask 077
  cat > "$work/verify.env" <<EOF
POSTGRES_PASSWORD=$(secret)
AIRFLOW_ADMIN_PASSWORD=$(secret)
AIRFLOW_FERNET_KEY=$(python3 -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')
AIRFLOW_API_SECRET_KEY=$(secret)
AIRFLOW_JWT_SECRET=$(secret)
BASE_IMAGE=localhost/user-pipeline/jre-base:17
PYTHON_BASE_IMAGE=localhost/user-pipeline/python-base:3.11
AIRFLOW_DAG_USERS=500
EOF
  umask 022
}

# One image, with its build time and size; its build log is kept in the work directory.
build_image() { # image dockerfile target base
  local image="$1" file="$2" target="$3" base="$4" began=$SECONDS
  local args=(--format docker -q --build-arg "BASE_IMAGE=$base" -t "localhost/user-pipeline/$image:$version" -f "$file")
  [ -n "$target" ] && args+=(--target "$target")
  if ! podman build "${args[@]}" . > "$work/build-$image.log" 2>&1; then
    echo "error: building $image failed; the last lines of $work/build-$image.log:" >&2
    tail -n 30 "$work/build-$image.log" >&2
    exit 1
  fi
  printf '  %-16s %4d s  %s\n' "$image" $((SECONDS - began)) \
    "$(podman image inspect --format '{{.Size}}' "localhost/user-pipeline/$image:$version" | awk '{printf "%d MB", $1 / 1000000}')"
}

# Builds the modules, stages their jars, builds the local bases and every image.
build_all() {
  step "build the modules and stage their jars"
  ./mvnw -B -ntp -q install -DskipTests > "$work/build.log" 2>&1 || { tail -30 "$work/build.log"; exit 1; }
  deploy/stage > "$work/stage.log" 2>&1 || { tail -30 "$work/stage.log"; exit 1; }

  step "build the local base images"
  deploy/base/build all

  step "build the images"
  local jre=localhost/user-pipeline/jre-base:17 image
  for image in offline-source postgres kafka cassandra connect console cli; do
    build_image "$image" "deploy/$image/Dockerfile" "" "$jre"
  done
  build_image spark deploy/spark/Dockerfile spark "$jre"
  build_image stream deploy/spark/Dockerfile stream "$jre"
  build_image airflow deploy/airflow/Dockerfile "" localhost/user-pipeline/python-base:3.11
  for image in offline-source postgres kafka cassandra connect console spark stream airflow; do
    check "$image has a health check" test -n "$(podman image inspect --format '{{.Config.Healthcheck}}' "localhost/user-pipeline/$image:$version" | grep CMD)"
    check "$image runs as uid 10001" test "$(podman image inspect --format '{{.Config.User}}' "localhost/user-pipeline/$image:$version")" = "10001:10001"
  done
}

healthy() { # service seconds
  local deadline=$((SECONDS + $2)) name
  while [ "$SECONDS" -lt "$deadline" ]; do
    name="$(container_of "$1")"
    # Its check run now, not the last one's result: after a restart that would still be the old container's.
    [ -n "$name" ] && podman healthcheck run "$name" < /dev/null > /dev/null 2>&1 && return 0
    sleep 3
  done
  echo "        $1 is not healthy after $2 s ($(podman inspect --format '{{.State.Status}}, {{.State.Health.Status}}' "$name" 2> /dev/null))"
  last_logs "$1"
  return 1
}

# Starts the project; on failure, says which service did not come up and shows its last log lines.
compose_up() {
  health_loop &
  pids+=($!)
  if ! "${compose[@]}" up -d --no-build > "$work/up.log" 2>&1; then
    echo "error: docker-compose up failed:" >&2
    tail -n 20 "$work/up.log" >&2
    for service in $("${compose[@]}" config --services); do
      state="$(podman inspect --format '{{.State.Status}} {{.State.Health.Status}}' "$(container_of "$service")" 2> /dev/null || echo missing)"
      echo "  $service: $state" >&2
      case "$state" in *unhealthy*|*exited*|missing|*starting*) last_logs "$service" >&2 ;; esac
    done
    exit 1
  fi
}

cli() { # pipeline CLI arguments, in a container of the cli image on the compose network
  "${compose[@]}" run --rm --no-deps -T setup "$@"
}

# The job's latest micro-batch (id and rows), from the progress file its driver rewrites.
latest_batch() {
  podman exec "$(container_of stream)" cat /var/lib/pipeline/stream/progress.json 2> /dev/null | python3 -c '
import json, sys
progress = json.load(sys.stdin)["queries"]["created_users"].get("progress", {})
print(progress.get("batchId", -1), progress.get("numInputRows", 0))' 2> /dev/null || echo "-1 0"
}

# Step times, peak memory and the tally; false when a check failed.
summary() {
  step "done"
  echo
  echo "Step times:"
  printf '  %s\n' "${steps[@]}"
  printf '  %-62s %5d s\n' total $((SECONDS - started))
  echo "Peak memory in use on this machine: $(cat "$work/peak-memory-mb" 2> /dev/null || echo '?') MB"
  echo "container verification: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

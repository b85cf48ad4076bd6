#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the Slurm executor's tests
# (docs/slurm.md): munge, slurmctld and slurmd from Debian's packages, no
# systemd. Run as root.
#   scripts/slurm-local.sh start    install if missing, configure, start; waits until the node is idle
#   scripts/slurm-local.sh stop     stop the daemons this script started (by their recorded pids)
#   scripts/slurm-local.sh status   exit 0 when the cluster answers
set -euo pipefail

STATE=/run/loopdeck-slurm
CONF=/etc/slurm/slurm.conf
CPUS=$(nproc)

log() { echo "slurm-local: $*" >&2; }

installed() { command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 && command -v munged >/dev/null 2>&1 && command -v sbatch >/dev/null 2>&1; }

install_packages() {
  installed && return 0
  log "installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null 2>&1 || {
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
  }
}

configure() {
  mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm "$STATE"
  cat >"$CONF" <<EOF
ClusterName=loopdeck
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
KillWait=5
MinJobAge=300
NodeName=localhost CPUs=$CPUS State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  [ -f /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
  install -d -o munge -g munge -m 0755 /run/munge
}

alive() { [ -f "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }

wait_for() {
  local what=$1 check=$2
  for _ in $(seq 1 100); do
    if eval "$check" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  log "$what did not come up; see /var/log/slurm"
  return 1
}

start() {
  install_packages
  configure
  if ! alive munged; then
    runuser -u munge -- /usr/sbin/munged
    wait_for munged 'munge -n | unmunge'
    cat /run/munge/munged.pid >"$STATE/munged.pid"
  fi
  if ! alive slurmctld; then
    slurmctld -D -i >/dev/null 2>&1 &
    echo $! >"$STATE/slurmctld.pid"
    wait_for slurmctld 'scontrol ping | grep -q UP'
  fi
  if ! alive slurmd; then
    slurmd -D -N localhost >/dev/null 2>&1 &
    echo $! >"$STATE/slurmd.pid"
  fi
  wait_for "the node" '[ "$(sinfo -h -o %T | head -1)" = idle ] || [ "$(sinfo -h -o %T | head -1)" = mixed ] || [ "$(sinfo -h -o %T | head -1)" = allocated ]'
  log "up: partition debug, node localhost with $CPUS CPUs"
}

stop() {
  for daemon in slurmd slurmctld munged; do
    if alive "$daemon"; then
      kill "$(cat "$STATE/$daemon.pid")" 2>/dev/null || true
      for _ in $(seq 1 50); do alive "$daemon" || break; sleep 0.1; done
    fi
    rm -f "$STATE/$daemon.pid"
  done
  log "stopped"
}

status() { installed && scontrol ping 2>/dev/null | grep -q UP && sinfo -h >/dev/null 2>&1; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac

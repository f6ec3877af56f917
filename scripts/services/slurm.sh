#!/usr/bin/env bash
# Installs (once) Debian's Slurm and munge, and runs TWO Slurm clusters on this machine that stand for two sites:
#   kz  (controller port 7117, nodes kz-n1 kz-n2, 4 h100 GPUs each)
#   uz  (controller port 7217, nodes uz-n1 uz-n2, 4 h100 GPUs each)
# Configs: $SERAI_SLURM_ROOT/<cluster>/slurm.conf (default /var/lib/serai-slurm). GPUs are character devices made with
# mknod, so jobs really get CUDA_VISIBLE_DEVICES. Safe to run again: running daemons are detected and kept.
# Tests find a cluster's config through SLURM_CONF=$SERAI_SLURM_ROOT/<cluster>/slurm.conf.
set -euo pipefail
root="${SERAI_SLURM_ROOT:-/var/lib/serai-slurm}"

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 || ! command -v sbatch >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge \
    || { apt-get update && apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge; }
fi

# One munged serves both clusters.
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
fi
chown munge:munge /etc/munge/munge.key 2>/dev/null || true
chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  if command -v runuser >/dev/null 2>&1 && id munge >/dev/null 2>&1; then
    runuser -u munge -- /usr/sbin/munged
  else
    /usr/sbin/munged --force
  fi
  for _ in $(seq 1 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.5; done
fi

host=$(hostname -s)

write_cluster() { # name ctldport nodeport1 nodeport2
  local name=$1 ctld=$2 p1=$3 p2=$4 dir="$root/$1"
  mkdir -p "$dir/state" "$dir/spool/${name}-n1" "$dir/spool/${name}-n2" "$dir/log" "$dir/dev/${name}-n1" "$dir/dev/${name}-n2" "$dir/out"
  chmod 1777 "$dir/out"
  for node in "${name}-n1" "${name}-n2"; do
    for i in 0 1 2 3; do
      [ -c "$dir/dev/$node/nvidia$i" ] || { rm -f "$dir/dev/$node/nvidia$i"; mknod "$dir/dev/$node/nvidia$i" c 195 "$i"; }
    done
  done
  cat > "$dir/slurm.conf.new" <<CONF
ClusterName=$name
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld
SlurmdPort=$p1
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
GresTypes=gpu
ReturnToService=1
SlurmdParameters=config_overrides
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.log
JobAcctGatherType=jobacct_gather/none
KillWait=5
MinJobAge=300
InactiveLimit=0
SlurmdTimeout=30
MaxJobCount=20000
NodeName=${name}-n1 NodeHostname=$host NodeAddr=127.0.0.1 Port=$p1 CPUs=16 RealMemory=64000 Gres=gpu:h100:4 State=UNKNOWN
NodeName=${name}-n2 NodeHostname=$host NodeAddr=127.0.0.1 Port=$p2 CPUs=16 RealMemory=64000 Gres=gpu:h100:4 State=UNKNOWN
PartitionName=gpu Nodes=${name}-n1,${name}-n2 Default=YES MaxTime=INFINITE State=UP
CONF
  cat > "$dir/gres.conf.new" <<CONF
NodeName=${name}-n1 Name=gpu Type=h100 File=$dir/dev/${name}-n1/nvidia[0-3]
NodeName=${name}-n2 Name=gpu Type=h100 File=$dir/dev/${name}-n2/nvidia[0-3]
CONF
  local changed=0
  for f in slurm.conf gres.conf; do
    if ! cmp -s "$dir/$f.new" "$dir/$f"; then mv "$dir/$f.new" "$dir/$f"; changed=1; else rm -f "$dir/$f.new"; fi
  done
  echo "$changed"
}

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_cluster() { # name ctldport nodeport1 nodeport2
  local name=$1 dir="$root/$1" changed
  changed=$(write_cluster "$@")
  if [ "$changed" = 1 ]; then # a new config: restart whatever runs with the old one
    for pid in "$dir"/slurmd-*.pid "$dir/slurmctld.pid"; do alive "$pid" && kill "$(cat "$pid")" && sleep 1 || true; done
  fi
  alive "$dir/slurmctld.pid" || slurmctld -f "$dir/slurm.conf"
  for node in "${name}-n1" "${name}-n2"; do
    alive "$dir/slurmd-$node.pid" || slurmd -f "$dir/slurm.conf" -N "$node"
  done
}

start_cluster kz 7117 7118 7119
start_cluster uz 7217 7218 7219

for name in kz uz; do
  ok=0
  for _ in $(seq 1 60); do
    if out=$(SLURM_CONF="$root/$name/slurm.conf" sinfo -h -N -o '%N %t' 2>/dev/null) && [ -n "$out" ] && ! grep -qE 'unk|down|drain|\*' <<<"$out"; then ok=1; break; fi
    sleep 1
  done
  # A node left down by an earlier interrupted test comes back.
  SLURM_CONF="$root/$name/slurm.conf" scontrol update nodename="${name}-n[1-2]" state=resume >/dev/null 2>&1 || true
  if [ "$ok" != 1 ]; then
    SLURM_CONF="$root/$name/slurm.conf" sinfo -N >&2 || true
    echo "slurm.sh: cluster $name did not come up; see $root/$name/log" >&2
    exit 1
  fi
done
echo "slurm.sh: clusters kz and uz ready (SLURM_CONF=$root/<cluster>/slurm.conf)"

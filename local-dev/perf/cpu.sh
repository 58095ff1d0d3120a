# Sourced by the perf scripts: CPU time spent by the processes of a measurement, from /proc (Linux), so a run can say
# what one request costs the machine and not only how long it waited.
clock_ticks="$(getconf CLK_TCK)"

descendants() { # PID -> the pid and every descendant's, one a line
  echo "$1"
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do descendants "$child"; done
}

process_ticks() { # ROOT_PID -> "HUB STORAGE": user+system clock ticks of the tree below ROOT_PID, Azurite apart
  local hub=0 storage=0 pid stat ticks
  for pid in $(descendants "$1"); do
    stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
    # Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    read -r -a fields <<<"${stat##*) }"
    ticks=$(( fields[11] + fields[12] ))
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q azurite; then storage=$(( storage + ticks )); else hub=$(( hub + ticks )); fi
  done
  echo "$hub $storage"
}

machine_ticks() { # -> "BUSY TOTAL" clock ticks of all cores since boot (busy = not idle and not waiting for I/O)
  local name user nice system idle iowait rest
  read -r name user nice system idle iowait rest < /proc/stat
  local total=$(( user + nice + system + idle + iowait ))
  for value in $rest; do total=$(( total + value )); done
  echo "$(( total - idle - iowait )) $total"
}

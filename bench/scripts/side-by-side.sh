# Helpers for the side-by-side comparison scripts beside this file; sourced, from the repository root, by
#   source bench/scripts/side-by-side.sh

# median VALUES...: the median of the numbers
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# field FILE KEY: one value of the JSON line in FILE ("-" when absent)
field() { /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], "-"))' "$1" "$2"; }

# deep_run CLASS ARGS...: runs org.poisonlab.bench.CLASS from the bench jar on $threads threads of PyTorch (DJL),
# without the JVM's incubator-module warning
deep_run() {
  local class=$1
  shift
  OMP_NUM_THREADS=$threads java --add-modules jdk.incubator.vector -Dai.djl.pytorch.num_threads="$threads" \
    -cp bench/target/benchmarks.jar "org.poisonlab.bench.$class" "$@" \
    2> >(grep -v --line-buffered "^WARNING: Using incubator modules" >&2)
}

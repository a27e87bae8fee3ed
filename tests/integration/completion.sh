#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Shell completion, in a real bash (the completion function through
# compgen) and a real zsh under tmux: commands, options, namespace types,
# columns, cgroup verbs, knobs and paths, pids, and the names of running
# docker containers; a container whose state names it with escape sequences
# is never offered.
source "$(dirname "$0")/../lib/lib.sh"
source "$(dirname "$0")/../lib/runtime.sh"
require_root
cd "$TESTS_DIR/.."
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"

# complete WORD...: what bash's completion offers for the last word, sorted, on one line.
complete_bash() {
	bash -c 'source tools/completion/nsctl.bash
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _nsctl
		printf "%s\n" "${COMPREPLY[@]}" | sort -u | tr "\n" " "' _ "$NSCTL" "$@"
}

expect_eq "bash: commands" "$(complete_bash e)" "enter exporter "
expect_eq "bash: help COMMAND" "$(complete_bash help wa)" "watch "
expect_eq "bash: every long option of ls --help" "$(complete_bash ls --)" \
	"$("$NSCTL" ls --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u | tr '\n' ' ')"
expect_eq "bash: short options too" "$(complete_bash top -)" \
	"$("$NSCTL" top --help | grep -oE -- '(^|[ ,])--?[a-zA-Z][a-zA-Z0-9-]*' | tr -d ' ,' | sort -u | tr '\n' ' ')"
expect_eq "bash: namespace types" "$(complete_bash ls -t u)" "user uts "
expect_eq "bash: the last item of a column list" "$(complete_bash ls -o +NS,NP)" "+NS,NPROCS "
expect_eq "bash: top's views" "$(complete_bash top --view n)" "namespaces "
expect_eq "bash: cgroup verbs" "$(complete_bash cgroup s)" "set show "
expect_eq "bash: knobs, with =" "$(complete_bash cgroup set /x pids.m)" "pids.max= "
expect_eq "bash: an option that takes a directory" "$(complete_bash exporter --root /tm)" "/tmp "
expect_eq "bash: after --, a command" "$(complete_bash enter 1 -- basenam)" "basename "
"$NSCTL" cgroup create "/nsctl-compl-$$" >/dev/null && on_exit "remove_cgroup /nsctl-compl-$$"
expect_eq "bash: cgroup paths" "$(complete_bash cgroup show "/nsctl-compl-$$")" "/nsctl-compl-$$ "
expect_eq "bash: pids" "$(complete_bash inspect "$$" | grep -ow "$$")" "$$"

# ---- container names: a real one, and one whose state file holds an escape sequence
docker=0
if docker_start; then
	$DOCKER run -d --name web-compl --network none "$RT_IMAGE" sleep 3600 >/dev/null && docker=1
fi
root=${RT_ROOT:-$tmp/root}
made_docker=()
for m in $(findmnt -rn -t cgroup,cgroup2 -o TARGET); do
	[ -d "$m/docker" ] || made_docker+=("$m/docker")
done
on_exit "for d in ${made_docker[*]}; do rmdir \$d 2>/dev/null; done"
# fake_container NAME-AS-JSON: a process in a docker-like cgroup whose state file gives that name.
fake_container() {
	local id cpid
	id=e$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 63)
	on_exit "remove_cgroup /docker/$id"
	start_target cpid sleep sleep 300 && "$NSCTL" cgroup create "/docker/$id" >/dev/null &&
		"$NSCTL" cgroup move "$cpid" "/docker/$id" >/dev/null || fail "a process in a container's cgroup"
	mkdir -p "$root/var/lib/docker/containers/$id"
	printf '{"Name":"/%s","Config":{"Image":"x"}}' "$1" >"$root/var/lib/docker/containers/$id/config.v2.json"
}
fake_container 'webevil\u001b[2J'
fake_container "websafe-$$"
if [ $docker = 1 ]; then
	expect_eq "bash: a running container's name (--root on the line)" \
		"$(complete_bash enter --root "$root" web-)" "web-compl "
else
	skip "bash: a running container's name" "no dockerd for the suite"
fi
expect_eq "a name with an escape sequence is never offered; its neighbour is" \
	"$("$NSCTL" --complete containers --root "$root" | grep -E '^web(evil|safe)')" "websafe-$$"

# ---- zsh, under tmux
if ! command -v zsh >/dev/null || ! command -v tmux >/dev/null; then
	skip "zsh" "zsh or tmux is not installed (make deps installs them)"
	exit 0
fi
export TMUX_TMPDIR=$tmp/tmux
mkdir -p "$TMUX_TMPDIR"
on_exit "tmux kill-server 2>/dev/null"
cat >"$tmp/zshrc" <<EOF
fpath=($PWD/tools/completion \$fpath)
autoload -Uz compinit && compinit -u -D
path=($(dirname "$NSCTL") \$path)
PS1='zsh%% '
EOF
tmux new-session -d -s zc -x 200 -y 20 "zsh -f -i"
sleep 0.5
tmux send-keys -t zc "source $tmp/zshrc; clear" Enter
sleep 1
# complete_zsh TEXT: the prompt line after typing TEXT and Tab.
complete_zsh() {
	tmux send-keys -t zc C-u "$1" Tab
	sleep 1
	tmux capture-pane -p -t zc | grep '^zsh% ' | tail -1 | sed 's/^zsh% //; s/ *$//'
}
expect_eq "zsh: a command" "$(complete_zsh "nsctl ins")" "nsctl inspect"
expect_eq "zsh: a namespace type" "$(complete_zsh "nsctl ls -t cg")" "nsctl ls -t cgroup"
expect_eq "zsh: the last item of a column list" "$(complete_zsh "nsctl ls -o +NS,NP")" "nsctl ls -o +NS,NPROCS"
expect_eq "zsh: a long option" "$(complete_zsh "nsctl exporter --list-m")" "nsctl exporter --list-metrics"
expect_eq "zsh: a knob" "$(complete_zsh "nsctl cgroup set /x pids.m")" "nsctl cgroup set /x pids.max="
if [ $docker = 1 ]; then
	expect_eq "zsh: a running container's name" "$(complete_zsh "nsctl enter --root $root web-")" \
		"nsctl enter --root $root web-compl"
fi
tmux send-keys -t zc C-u "exit" Enter

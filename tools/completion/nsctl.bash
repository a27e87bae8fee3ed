# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for nsctl. Options come from each command's --help, column
# names from `nsctl ls --list-columns`, knobs from `nsctl cgroup knobs`, and
# container names and cgroup paths from `nsctl --complete`, so that nothing
# here goes stale when nsctl changes.

# The options a command's --help shows.
_nsctl_options() {
	"${words[0]}" "$@" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[a-zA-Z][a-zA-Z0-9-]*' | tr -d ' ,' | sort -u
}

# Whether option $prev takes a value: its line of --help names one in capitals ("-t, --type TYPE").
_nsctl_takes_value() {
	"${words[0]}" "$@" --help 2>/dev/null | awk -v o="$prev" '
		{ spec = $0; sub(/^ +/, "", spec); split(spec, part, /  +/); spec = part[1]; gsub(/[][]/, "", spec) }
		spec ~ /^-/ {
			n = split(spec, t, /[ ,=]+/)
			for (i = 1; i <= n; i++)
				if (t[i] == o) { found = 1; takes = t[n] ~ /^[A-Z]/ }
		}
		END { exit !(found && takes) }'
}

# --root DIR given earlier on the line: container names are read below it too.
_nsctl_root() {
	local i
	for ((i = 1; i < cword; i++)); do
		[ "${words[i]}" = --root ] && { echo "--root"; echo "${words[i + 1]}"; return; }
		[[ ${words[i]} == --root=* ]] && { echo "--root"; echo "${words[i]#--root=}"; return; }
	done
}

_nsctl_targets() {
	local pids names
	pids=$(cd /proc && compgen -G '[0-9]*')
	# shellcheck disable=SC2046
	names=$("${words[0]}" --complete containers $(_nsctl_root) 2>/dev/null)
	COMPREPLY+=($(compgen -W "$pids $names" -- "$cur"))
}

# A comma list (ls -o +NS,TYPE): complete its last item.
_nsctl_list() {
	local head=${cur%"${cur##*[,+]}"}
	COMPREPLY=($(compgen -P "$head" -W "$1" -- "${cur##*[,+]}"))
}

_nsctl_value() {
	local cmd=$1
	case "$cmd:$prev" in
	ls:-t | ls:--type | watch:-t | watch:--type)
		_nsctl_list "mnt net pid uts ipc user cgroup time" ;;
	ls:-o | ls:--output)
		_nsctl_list "$("${words[0]}" ls --list-columns 2>/dev/null | awk 'NR > 1 {print $1}')" ;;
	ls:--backend) COMPREPLY=($(compgen -W "auto proc bpf" -- "$cur")) ;;
	ls:-p | ls:--task | *:--pid) COMPREPLY=($(cd /proc && compgen -G "${cur}[0-9]*")) ;;
	top:-v | top:--view) COMPREPLY=($(compgen -W "containers cgroups namespaces" -- "$cur")) ;;
	*:--root | *:-r | *:--bind | *:--ro-bind | *:-w | *:--workdir | *:--seccomp)
		COMPREPLY=($(compgen -d -- "$cur")) ;;
	*) COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}

_nsctl_cgroup() {
	local verb=${words[2]:-} knobs
	if ((cword == 2)); then
		COMPREPLY=($(compgen -W "$("${words[0]}" cgroup --help 2>/dev/null |
			awk '/^Verbs:/ {v = 1; next} v && NF == 0 {exit} v {print $1}')" -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_nsctl_options cgroup "$verb")" -- "$cur"))
		return
	fi
	if [[ $prev == -* ]] && _nsctl_takes_value cgroup "$verb"; then
		_nsctl_value cgroup
		return
	fi
	knobs=$("${words[0]}" cgroup knobs 2>/dev/null | awk 'NR > 1 {print $1}')
	case "$verb" in
	set | create)
		if [[ $cur == /* || $cword -eq 3 ]]; then
			COMPREPLY=($(compgen -W "$("${words[0]}" --complete cgroups 2>/dev/null)" -- "$cur"))
			[ "$verb" = set ] && [[ $cur != /* ]] && _nsctl_targets
		else
			compopt -o nospace 2>/dev/null
			COMPREPLY=($(compgen -S = -W "$knobs" -- "$cur"))
		fi ;;
	get | show | tree | rm | move)
		if [[ $cur == /* ]]; then
			COMPREPLY=($(compgen -W "$("${words[0]}" --complete cgroups 2>/dev/null)" -- "$cur"))
		elif [ "$verb" = get ] && ((cword > 3)); then
			COMPREPLY=($(compgen -W "$knobs" -- "$cur"))
		else
			_nsctl_targets
		fi ;;
	esac
}

_nsctl() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} cword=$COMP_CWORD
	local words=("${COMP_WORDS[@]}") cmd i
	COMPREPLY=()
	if ((cword == 1)); then
		COMPREPLY=($(compgen -W "$("${words[0]}" --complete commands 2>/dev/null) help --help --version" -- "$cur"))
		return
	fi
	cmd=${words[1]}
	[ "$cmd" = help ] && { COMPREPLY=($(compgen -W "$("${words[0]}" --complete commands 2>/dev/null)" -- "$cur")); return; }
	# After "--", a command to run (enter, run).
	for ((i = 2; i < cword; i++)); do
		if [ "${words[i]}" = -- ]; then
			COMPREPLY=($(compgen -c -- "$cur"))
			return
		fi
	done
	[ "$cmd" = cgroup ] && { _nsctl_cgroup; return; }
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_nsctl_options "$cmd")" -- "$cur"))
		return
	fi
	if [[ $prev == -* ]] && _nsctl_takes_value "$cmd"; then
		_nsctl_value "$cmd"
		return
	fi
	case "$cmd" in
	inspect | enter) _nsctl_targets ;;
	ls) COMPREPLY=() ;;
	run) COMPREPLY=($(compgen -c -- "$cur")) ;;
	esac
}

complete -F _nsctl nsctl

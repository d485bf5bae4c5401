# bash completion for spinner-thread and spinner-async	-*- shell-script -*-
#
# Installed as completions/spinner-thread and completions/spinner-async:
# bash-completion loads a command's completion by the command's name.
# Both binaries take the same options (src/options.c).  Options are read
# as getopt_long reads them, with a leading '+': COMMAND starts at the
# first operand, or after --, and every word from there on is COMMAND's,
# completed as COMMAND's own; but not after tasks (-c, -T), as the binary
# takes tasks or COMMAND, not both.

# Long options: ':' after one whose value may be the next word, '?' after
# one whose value may only follow '='.
_spinner_longopts='animate? color? command: delay: elapsed fail-fast
	frames: help interval: jobs: kill-after: list-styles message:
	messages no-animate output: persist quiet stats style: tasks:
	timeout: version'

# What the long option in $1 (--name or --name=value) is, in REPLY: its
# entry above, '' when it names none.  getopt_long takes any prefix that
# names one option alone, as --tim for --timeout.
_spinner_long()
{
	local name=${1#--} o n=0 found=
	name=${name%%=*}
	REPLY=
	for o in $_spinner_longopts; do
		if [[ ${o%[:?]} == "$name" ]]; then
			REPLY=$o
			return
		fi
		[[ ${o%[:?]} == "$name"* ]] && found=$o && n=$((n + 1))
	done
	((n == 1)) && REPLY=$found
}

# The style names, as the binary being completed lists them, so that the
# list stays true; the known ones when it cannot be run.
_spinner_styles()
{
	local bin=$1 name rest styles=()

	[[ $bin == '~/'* ]] && bin=$HOME/${bin#'~/'}
	while read -r name rest; do
		[[ $name ]] && styles+=("$name")
	done < <("$bin" --list-styles 2>/dev/null </dev/null)
	((${#styles[@]})) || styles=(line dots dots2 arc circle pipe
		bouncingBar simpleDots moon clock earth)
	COMPREPLY=($(compgen -W "${styles[*]}" -- "$cur"))
}

_spinner()
{
	local cur prev words cword split
	_init_completion -s || return

	# After a quote left open, as in -c "ma, readline completes what
	# follows the quote (and closes the quote on a match): compgen -c
	# and compgen -f would look for names that start with the quote.
	local open=
	if [[ $cur == [\"\']* && ${cur:1} != *"${cur:0:1}"* ]]; then
		open=${cur:0:1}
		cur=${cur:1}
	fi

	# The line in the shell's words, w; at[k] is the index in COMP_WORDS
	# that word k starts at, for _command_offset.  COMP_WORDS is split at
	# each $COMP_WORDBREAKS character as well: in -m a:b, "a", ":" and
	# "b" are three, and "b" would look like COMMAND.
	local -a w at
	local line=$COMP_LINE i k=-1 cw=0
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		if ((k < 0)) || [[ $line == [[:space:]]* ]]; then
			w[++k]=
			at[k]=$i
		fi
		line=${line#"${line%%[![:space:]]*}"}
		w[k]+=${COMP_WORDS[i]}
		line=${line#"${COMP_WORDS[i]}"}
		((i == COMP_CWORD)) && cw=$k
	done

	# The words before the cursor: where COMMAND starts (cmd), which
	# option, if any, waits for the word at the cursor (opt), and
	# whether tasks (-c, -T) were given.
	local cmd= opt= tasks= rest c
	for ((k = 1; k < cw; k++)); do
		if [[ $opt ]]; then
			opt=
			continue
		fi
		case ${w[k]} in
		--)
			cmd=$((k + 1))
			break
			;;
		--*)
			_spinner_long "${w[k]}"
			[[ $REPLY == @(command|tasks):* ]] && tasks=1
			[[ $REPLY == *: && ${w[k]} != *=* ]] && opt=${REPLY%:}
			;;
		-?*)
			# -qs NAME: the first letter that takes a value
			# takes the rest of the word, or the next word.
			rest=${w[k]#-}
			while [[ $rest ]]; do
				c=${rest:0:1}
				rest=${rest:1}
				case $c in
				[cdfijkmsTt])
					[[ $c == [cT] ]] && tasks=1
					[[ $rest ]] || opt=-$c
					break
					;;
				esac
			done
			;;
		*)
			cmd=$k
			break
			;;
		esac
	done
	# With tasks the binary refuses COMMAND: past -- or an operand,
	# nothing goes, and at the first operand only another option.
	[[ $cmd && $tasks ]] && return
	if [[ ! $cmd && ! $opt && ! $tasks && ${w[cw]} != -* ]]; then
		cmd=$cw
	fi
	if [[ $cmd ]]; then
		if ((cmd == cw)) && [[ $open ]]; then
			# COMMAND's name after an open quote, which
			# _command_offset would look for with the quote
			compopt -o filenames
			COMPREPLY=($(compgen -d -c -- "$cur"))
			return
		fi
		_command_offset "${at[cmd]}"
		return
	fi

	# The value of an option: in the next word, or after '='.
	if [[ ! $opt && $split == true ]]; then
		_spinner_long "${w[cw]}"
		opt=${REPLY%[:?]}
		[[ $opt ]] || return	# an unknown option's
	fi
	case $opt in
	-s | style)
		_spinner_styles "$1"
		;;
	-c | command)
		COMPREPLY=($(compgen -c -- "$cur"))
		;;
	-T | tasks)
		_filedir
		[[ - == "$cur"* ]] && COMPREPLY+=(-)
		;;
	output)
		COMPREPLY=($(compgen -W 'live failed all none' -- "$cur"))
		;;
	animate | color)
		COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
		;;
	?*)
		# text, a duration or a number: nothing to offer
		;;
	*)
		local opts=(-c -d -e -f -h -i -j -k -m -p -q -s -T -t -V) o
		for o in $_spinner_longopts; do
			# --output=, as the usage shows it: a value to
			# choose is one TAB away.
			case $o in
			output:) opts+=(--output=) ;;
			*:) opts+=("--${o%:}") ;;
			*\?) opts+=("--${o%\?}" "--${o%\?}=") ;;
			*) opts+=("--$o") ;;
			esac
		done
		COMPREPLY=($(compgen -W "${opts[*]}" -- "$cur"))
		if ((${#COMPREPLY[@]} == 1)) && [[ $COMPREPLY == *= ]]; then
			compopt -o nospace
		fi
		;;
	esac
} &&
	complete -F _spinner spinner-thread spinner-async

# ex: filetype=sh

# fish completion for spinner-thread and spinner-async
#
# Installed as vendor_completions.d/spinner-thread.fish and
# spinner-async.fish: fish loads a command's completions by the command's
# name, and each copy defines the completions of that name alone (of both
# when read by another name, as completions/spinner.fish).  The binaries
# take the same options (src/options.c).  Options are read as getopt_long
# reads them, with a leading '+': COMMAND starts at the first operand, or
# after --, and every token from there on is COMMAND's, completed as
# COMMAND's own; but not after tasks (-c, -T), as the binary takes tasks
# or COMMAND, not both.

# The long option that --name or --name=value names, whole; nothing if
# none.  getopt_long takes any prefix that names one option alone.
function __spinner_long
    set -l name (string replace -r '^--([^=]*).*' '$1' -- $argv[1])
    set -l all animate color command delay elapsed fail-fast frames help \
        interval jobs kill-after list-styles message messages no-animate \
        output persist quiet stats style tasks timeout version
    if contains -- $name $all
        echo $name
        return
    end
    set -l found (string match -- "$name*" $all)
    test (count $found) -eq 1; and echo $found
end

# Where COMMAND starts: its index among the tokens before the cursor and
# the one at it; nothing while the cursor is among the options or at an
# option's value; "none" past -- or an operand after tasks (-c, -T), as
# the binary takes tasks or COMMAND, not both.
function __spinner_command_start
    set -l tokens (commandline -opc)
    set -l takes command delay frames interval jobs kill-after message \
        output style tasks timeout
    set -l want
    set -l tasks
    set -l i 2
    while test $i -le (count $tokens)
        set -l t $tokens[$i]
        if test -n "$want"
            set want
        else if test "x$t" = x--
            if test -n "$tasks"
                echo none
            else
                math $i + 1
            end
            return
        else if string match -q -- '--*' $t
            set -l name (__spinner_long $t)
            contains -- "$name" command tasks; and set tasks 1
            if contains -- "$name" $takes; and not string match -q -- '*=*' $t
                set want 1
            end
        else if string match -q -- '-?*' $t
            # -qs NAME: the first letter that takes a value takes the
            # rest of the token, or the next token.
            set -l letters (string split '' -- (string sub -s 2 -- $t))
            for j in (seq (count $letters))
                if contains -- $letters[$j] c d f i j k m s T t
                    contains -- $letters[$j] c T; and set tasks 1
                    test $j -eq (count $letters); and set want 1
                    break
                end
            end
        else
            if test -n "$tasks"
                echo none
            else
                echo $i
            end
            return
        end
        set i (math $i + 1)
    end
    # an operand at the cursor starts COMMAND; a '-' there, an option;
    # with tasks, an operand can only be meant for an option
    set -l cur (commandline -ct)
    if test -z "$want$tasks"; and not string match -q -- '-*' "$cur"
        echo $i
    end
end

function __spinner_in_options
    set -l start (__spinner_command_start)
    test -z "$start"
end

function __spinner_in_command
    set -l start (__spinner_command_start)
    test -n "$start" -a "$start" != none
end

# COMMAND and its arguments, as COMMAND's own completion gives them.
# The tokens before the cursor are given quoted again, and the one at it
# as it stands.
function __spinner_complete_command
    set -l start (__spinner_command_start)
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l line
    if test $start -le (count $tokens)
        set line (string escape -- $tokens[$start..-1])
    end
    complete -C (string join ' ' -- $line "$cur")
end

# The style names, as the binary being completed lists them, so that the
# list stays true; the known ones when it cannot be run.
function __spinner_styles
    set -l tokens (commandline -opc)
    set -l bin (string replace -r '^~/' ~/ -- "$tokens[1]")
    set -l styles
    if command -q -- $bin
        set styles (command $bin --list-styles 2>/dev/null </dev/null |
            string replace -r '\s.*' '')
    end
    if not set -q styles[1]
        set styles line dots dots2 arc circle pipe bouncingBar simpleDots \
            moon clock earth
    end
    string join \n -- $styles
end

# Only the name this file is loaded by: fish loads it for that name alone,
# and the other's completions, or the user's own, are none of its business.
# Nothing is erased, so that what the user added for this name stays; a
# second load adds the same entries again, and fish shows each once.
set -l names (status current-filename | string replace -r '^.*/' '' |
    string replace -r '\.fish$' '')
if not contains -- "$names" spinner-thread spinner-async
    set names spinner-thread spinner-async
end
for cmd in $names
    complete -c $cmd -f
    complete -c $cmd -n __spinner_in_command -f \
        -a '(__spinner_complete_command)'

    set -l o complete -c $cmd -n __spinner_in_options
    $o -s m -l message -x -d 'Text beside the spinner'
    $o -s e -l elapsed -d 'Show the time so far after the message'
    $o -s d -l delay -x -d "How long the demo's slow work takes"
    $o -s i -l interval -x -d 'Time between frames'
    $o -s s -l style -x -a '(__spinner_styles)' -d 'A named frame set'
    $o -s f -l frames -x -d 'Custom frames: characters, or a,b,c'
    $o -l list-styles -d 'List the styles with a sample'
    $o -s t -l timeout -x -d 'Stop the slow work after DURATION'
    $o -s k -l kill-after -x -d 'After a timeout, SIGKILL this long after'
    $o -s p -l persist -d 'Leave a final status line'
    $o -l messages -d 'Let COMMAND set the message'
    $o -l output -x -a 'live failed all none' \
        -d "COMMAND's output for the terminal"
    $o -s q -l quiet -d 'Demo: print only the answer'
    $o -l stats -d 'At the end, what the run cost'
    # Without -r: a value only after '=', not in the next token.
    $o -l animate -f -a 'auto always never' -d 'Animate: auto, always, never'
    $o -l no-animate -d 'The same as --animate=never'
    $o -l color -f -a 'auto always never' -d 'Colour: auto, always, never'
    $o -s c -l command -x -a '(__fish_complete_command)' \
        -d 'A task, run by /bin/sh -c'
    $o -s T -l tasks -r -a - -d 'Tasks from FILE (- for stdin)'
    $o -s j -l jobs -x -d 'At most N tasks at once'
    $o -l fail-fast -d 'On the first failure, stop the others'
    $o -s h -l help -d 'Show the help'
    $o -s V -l version -d 'Show the version'
end

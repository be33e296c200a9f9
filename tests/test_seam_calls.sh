#!/bin/sh
# test_seam_calls.sh -- keeps the platform seam the only caller of the OS for what it covers: no
# .c of common/ server/ client/ bot/ outside the seam's files calls sockets, clocks,
# sleeps, random bytes, processes, the environment, pipes, limits, temporary folders, the host
# name or interface lists itself, only the server's and the bot's loops wait with sys_poll, and no
# .c or .h outside common/sys_* asks which platform it is built for (#ifdef _WIN32 and the like).
# Comments are stripped by the C preprocessor first.
# Usage: test_seam_calls.sh SOURCE_DIR
src=${1:?usage: test_seam_calls.sh SOURCE_DIR}
cd "$src" || exit 1
status=0

# The seam itself: one file per module and platform (common/sys_net_<platform>.c and
# sys_os_<platform>.c), and common/sys_net.c, which calls the resolver (getaddrinfo) alike on every
# platform. common/sys_os.c, the rest that every platform shares, calls the OS only through the
# seam and is checked like any other file.
is_seam() {
    case "$1" in
    common/sys_net.c | common/sys_net_*.c | common/sys_os_*.c) return 0 ;;
    esac
    return 1
}

# The text of a .c without comments or string contents that could fake a call.
code_of() {
    gcc -fpreprocessed -dD -E -P "$1" 2>/dev/null | sed 's/"\([^"\\]\|\\.\)*"/""/g'
}

# Calls by name: not a member (->poll, .poll) and not part of a longer name (sys_poll).
calls() { # FILE REGEX
    code_of "$1" | grep -E "(^|[^A-Za-z0-9_.>])($2)[[:space:]]*\\("
}

FORBIDDEN='socket|socketpair|accept|accept4|bind|listen|connect|getaddrinfo|getnameinfo'
FORBIDDEN="$FORBIDDEN|send|sendto|sendmsg|recv|recvfrom|recvmsg|setsockopt|getsockopt"
FORBIDDEN="$FORBIDDEN|clock_gettime|clock_nanosleep|nanosleep|usleep|gettimeofday"
FORBIDDEN="$FORBIDDEN|getentropy|getrandom|fork|vfork|execl|execlp|execle|execv|execvp|execve"
FORBIDDEN="$FORBIDDEN|posix_spawn|posix_spawnp|waitpid|getifaddrs|poll|ppoll|select|epoll_wait"
FORBIDDEN="$FORBIDDEN|setenv|unsetenv|putenv|pipe|pipe2|kill|waitid|prctl|setsid|mkdtemp|access"
FORBIDDEN="$FORBIDDEN|gethostname|readlink|getrlimit|setrlimit"

checked=0
for f in $(find common server client bot -name '*.c' | sort); do
    is_seam "$f" && continue
    checked=$((checked + 1))
    hits=$(calls "$f" "$FORBIDDEN")
    if [ -n "$hits" ]; then
        echo "FAIL: $f calls the OS itself (use common/sys_net.h or sys_os.h):"
        echo "$hits" | sed 's/^/    /'
        status=1
    fi
    # Only the server's loop and the bot's loops wait on sockets; the game never does (its
    # network thread waits in SDL2_net, and "Stop the server" reads the answer a frame at a time).
    case "$f" in
    server/loop.c | bot/bot.c | bot/discover.c) ;;
    *)
        hits=$(calls "$f" 'sys_poll')
        if [ -n "$hits" ]; then
            echo "FAIL: $f waits with sys_poll; only the server's and the bot's loops may:"
            echo "$hits" | sed 's/^/    /'
            status=1
        fi
        ;;
    esac
done

# A platform is chosen once, by the build, among the seam's files: nowhere else does the code ask.
PLATFORM_IF='^[[:space:]]*#[[:space:]]*(if|ifdef|ifndef|elif).*(_WIN32|_WIN64|__linux__|__APPLE__|__MINGW|_MSC_VER|__unix__)'
for f in $(find common server client bot play -name '*.[ch]' | sort); do
    case "$f" in common/sys_*) continue ;; esac
    hits=$(grep -nE "$PLATFORM_IF" "$f")
    if [ -n "$hits" ]; then
        echo "FAIL: $f asks which platform it is built for (put that in the seam, common/sys_*):"
        echo "$hits" | sed 's/^/    /'
        status=1
    fi
done

# The check itself must see calls: each of the seam's own files makes some (one that made none
# would not need to be left out of the check above).
seam=0
for f in $(find common -name 'sys_*.c' | sort); do
    is_seam "$f" || continue
    seam=$((seam + 1))
    [ -n "$(calls "$f" "$FORBIDDEN")" ] || {
        echo "FAIL: the check found no call in the seam's $f: is gcc -fpreprocessed working, or"
        echo "      does $f call the OS at all (then it is not the seam's, and is checked)?"
        status=1
    }
done
[ "$seam" -ge 5 ] || {
    echo "FAIL: only $seam of the seam's files found in common/"
    status=1
}
[ "$checked" -gt 50 ] || {
    echo "FAIL: only $checked files checked"
    status=1
}
[ $status -eq 0 ] && echo "ok: $checked files call the OS only through the seam"
exit $status

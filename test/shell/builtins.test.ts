// Builtins and bash extensions, one table per builtin or feature: script,
// expected stdout, expected status. (POSIX behaviour shared with dash is
// covered by conformance.test.ts.)

import { describe, expect, test } from "bun:test";
import { runScript } from "./helpers.ts";

type Case = readonly [script: string, stdout: string, status: number];

function table(name: string, cases: readonly Case[]): void {
  describe(name, () => {
    test.each(cases.map((c) => [...c]))("%s", async (script, stdout, status) => {
      const result = await runScript(script, { stdin: "line1\nline2\n" });
      expect({ stdout: result.stdout, status: result.status }).toEqual({ stdout, status });
    });
  });
}

table("echo", [
  ["echo a b", "a b\n", 0],
  ["echo -n a; echo b", "ab\n", 0],
  ["echo -e x", "-e x\n", 0],
  ["echo 'a\\tb\\c'; echo d", "a\tbd\n", 0],
  ["echo '\\0101'", "A\n", 0],
]);

table("printf", [
  ["printf '%s,' a b c; echo", "a,b,c,\n", 0],
  ["printf '%05.1f|%-6.2e|%G\\n' 3.14159 1234.5 0.00001", "003.1|1.23e+03|1E-05\n", 0],
  ["printf '%x %X %o\\n' -1 255 -1", "ffffffffffffffff FF 1777777777777777777777\n", 0],
  ["printf '%*d|%-*d|\\n' 4 1 3 2", "   1|2  |\n", 0],
  ["printf '%d\\n' abc", "0\n", 1],
  ["printf '%b' 'a\\nb\\c' ignored; echo", "a\nb\n", 0],
  ["printf -- '%s\\n' x", "x\n", 0],
  ["printf -v x %s a; echo \"$? [$x]\"", "2 []\n", 0],
  ["printf - ; echo", "-\n", 0],
  ["printf", "", 2],
]);

table("read", [
  ["read a; read b; echo $b$a", "line2line1\n", 0],
  ["read -r a b c; echo \"[$a][$b][$c]\"", "[line1][][]\n", 0],
  ["read; echo $?; read x; echo $x", "2\nline1\n", 0],
  ["read -d 2 x; echo \"$x\"", "line1\nline\n", 0],
  ["while read l; do echo \"<$l>\"; done", "<line1>\n<line2>\n", 0],
  ["read a; read b; read c; echo $?", "1\n", 0],
  ["read 1x", "", 2],
]);

table("cd/pwd", [
  ["cd /usr && pwd && cd bin && pwd", "/usr\n/usr/bin\n", 0],
  ["cd /usr/bin/../lib; pwd", "/usr/lib\n", 0],
  ["cd /nonexistent; echo $?", "2\n", 0],
  ["HOME=/usr; cd; pwd", "/usr\n", 0],
  ["cd /usr; cd /; cd - ", "/usr\n", 0],
  ["CDPATH=/usr; cd bin; pwd", "/usr/bin\n/usr/bin\n", 0],
  ["cd -x", "", 2],
  ["cd //; pwd; cd usr; pwd; cd ..; pwd", "//\n//usr\n//\n", 0],
  ["cd ///usr/./bin/..; pwd", "/usr\n", 0],
]);

table("set/shift", [
  ["set -- a b c; echo $# $2; shift; echo $1; shift 2; echo $#", "3 b\nb\n0\n", 0],
  ["set -e -u; echo $-", "ue\n", 0],
  ["set -o errexit; set +o errexit; echo $-", "\n", 0],
  ["set -o pipefail; false | true; echo $?", "1\n", 0],
  ["set -o nosuchoption", "", 2],
  ["set -o | head -2; set +o | head -2", "Current option settings\nerrexit         off\nset +o errexit\nset +o noglob\n", 0],
  ["set -f; echo /*", "/*\n", 0],
  ["set -a; v=1; env | grep -c '^v=1'", "1\n", 0],
  ["shift 5", "", 2],
]);

table("export/readonly/unset/local", [
  ["export A=1; env | grep '^A='", "A=1\n", 0],
  ["A=1; export A; unset A; env | grep -c '^A='", "0\n", 1],
  ["readonly R=1; R=2; echo no", "", 2],
  ["readonly R=1; unset R; echo no", "", 2],
  ["export 1x=2", "", 2],
  ["f() { local a=in b; b=set; echo $a $b; }; a=out; b=out; f; echo $a $b", "in set\nout out\n", 0],
  ["f() { local v; echo \"[$v]\"; v=2; }; v=1; f; echo $v", "[1]\n1\n", 0],
  ["local x=1", "", 2],
  ["set -- a b; x='1  2'; export V=\"$@\" W=$x; echo \"$V|$W\"", "a b|1  2\n", 0],
  ["x='1 2'; for i in export a=$x; do echo \"[$i]\"; done", "[export]\n[a=1]\n[2]\n", 0],
]);

table("trap/kill/wait/jobs", [
  ["trap 'echo bye' EXIT; trap", "trap -- 'echo bye' EXIT\nbye\n", 0],
  ["trap u USR1; trap i INT; trap e EXIT; trap; trap - EXIT", "trap -- 'e' EXIT\ntrap -- 'i' INT\ntrap -- 'u' USR1\n", 0],
  ["trap 'echo usr1' USR1; kill -USR1 $$; echo after", "usr1\nafter\n", 0],
  ["trap '' TERM; kill $$; echo survived", "survived\n", 0],
  ["kill -TERM $$; echo never", "", 143],
  ["trap 'echo x' NOSUCHSIG", "", 1],
  ["sleep 5 & kill $!; wait $!; echo $?", "143\n", 0],
  // dash announces a job a signal ended when `wait` reaps it; not INT or PIPE, not twice, not after a foreground wait.
  ["sleep 5 & p=$!; kill $p; wait $p 2>&1; wait $p 2>&1; echo $?", "Terminated\n143\n", 0],
  ["sleep 5 & kill -INT $!; wait $! 2>&1; (sleep 5; echo no) & kill -9 $!; wait $! 2>&1; echo $?", "Killed\n137\n", 0],
  ["sleep 5 & kill $!; sleep 0.1; wait $! 2>&1; echo $?", "143\n", 0],
  ["sleep 5 | cat & kill $!; wait $! 2>/dev/null; echo $?", "143\n", 0],
  ["sleep 1 & true & (exit 3) & sleep 0.1; jobs; jobs", "[3] + Done(3)                    \n[2] + Done                       \n[1] + Running                    \n[1] + Running                    \n", 0],
  ["(exit 3) & wait $!; echo $?", "3\n", 0],
  ["true & j=$!; jobs -p > /tmp/rushd-jobs-test; [ \"$(cat /tmp/rushd-jobs-test)\" = \"$j\" ] && echo same", "same\n", 0],
  ["true & jobs -p | grep -c .", "0\n", 1],
  ["kill -l 15", "TERM\n", 0],
  // dash's signal vocabulary: no SIG prefix, real-time names, numbers only for kill -l.
  ["kill -l 34; kill -l 50; kill -l 143; kill -l USR1; echo $?", "RTMIN\nRTMAX-14\nTERM\n2\n", 0],
  ["trap 'echo x' SIGUSR1 2>&1; echo $?", "trap: SIGUSR1: bad trap\n1\n", 0],
  ["trap 'echo x' INT EXIT; trap INT; trap EXIT; trap; echo done", "done\n", 0],
  ["trap 'echo rt' rtmin+2; kill -s RTMIN+2 $$", "rt\n", 0],
  // Children inherit ignored signals and closed standard fds, as from dash (started through /bin/sh).
  ["trap '' USR1; sh -c 'kill -USR1 $$; echo alive'; trap - USR1; sh -c 'kill -USR1 $$; echo dead'; echo $?", "alive\n138\n", 0],
  ["cat <&- 2>/dev/null; echo $?; sh -c 'echo \"$0\"' >&- 2>/dev/null; echo $?", "1\n1\n", 0],
  ["kill -s HUP 999999999", "", 1],
]);

table("command/type/hash/exec", [
  ["command -v cd echo", "cd\n", 0], // only the first name, as dash
  ["command -v nosuch_zz", "", 127],
  ["f() { echo func; }; command -v f; f; command f 2>/dev/null; echo $?", "f\nfunc\n127\n", 0],
  ["type cd if", "cd is a shell builtin\nif is a shell keyword\n", 0],
  ["alias l=ls; type l", "l is an alias for ls\n", 0],
  ["hash -r; hash sh; echo $?", "0\n", 0],
  ["exec sh -c 'echo replaced; exit 4'; echo never", "replaced\n", 4],
  ["exec 3>&1; echo three >&3", "three\n", 0],
  ["exec 4</nonexistent; echo never", "", 2],
]);

table("eval/source/alias", [
  ["eval 'a=1; b=$((a+1))'; echo $b", "2\n", 0],
  ["eval 'exit 3'; echo never", "", 3],
  ["eval 'if'", "", 2],
  ["alias hi='echo hello'\nhi there", "hello there\n", 0],
  ["alias a1='echo one' a2='echo two'; alias a1; unalias a1; alias a1", "a1='echo one'\n", 1],
  ["unalias -a; alias", "", 0],
  // dash's listing order (its hash buckets) and quoting ('"'"' for each run of quotes, none after the last).
  ["alias zz=1 aa=2 ab=3 q=\"it's\" r=\"'a''\"; alias", "q='it'\"'\"'s'\nzz='1'\nr=''\"'\"'a'\"''\"\naa='2'\nab='3'\n", 0],
  ["echo 'echo in; return 3; echo no' > /tmp/rushd-src.sh; . /tmp/rushd-src.sh; echo $?", "in\n3\n", 0],
  [". /nonexistent/file; echo no", "", 2],
  ["source /nonexistent/file; echo continues", "continues\n", 0],
]);

table("getopts", [
  ["set -- -ab -c val x; while getopts abc: o; do echo \"$o ${OPTARG-}\"; done; shift $((OPTIND-1)); echo \"$@\"", "a \nb \nc val\nx\n", 0],
  ["getopts a o -z 2>/dev/null; echo \"$o\"", "?\n", 0],
  ["getopts :a: o -a; echo \"$o $OPTARG\"", ": a\n", 0],
  ["OPTARG=stale; getopts a o -a; echo \"[${OPTARG-unset}]\"", "[]\n", 0],
  ["getopts a o -z 2>&1", "Illegal option -z\n", 0],
]);

table("umask/times/ulimit", [
  ["umask 0027; umask; umask -S", "0027\nu=rwx,g=rx,o=\n", 0],
  ["umask g-w,o-rwx; umask", "0027\n", 0],
  ["umask bad", "", 2],
  ["umask 999", "", 2],
  ["times | grep -c s", "2\n", 0],
  ["ulimit -n | grep -c '^[0-9]*$\\|unlimited'", "1\n", 0],
  // The session's own limits: reported, given to externals, never set on this process.
  ["ulimit -n 10; ulimit -n; sh -c 'ulimit -n'; (ulimit -S -n 5; sh -c 'ulimit -n'); ulimit -n", "10\n10\n5\n10\n", 0],
  ["ulimit -S -c 3; ulimit -H -c 2; echo $?; ulimit -c 1x; echo $?", "2\n2\n", 0],
]);

table("test and [[ ]]", [
  ["[ 1 -eq 1 ]; echo $?", "0\n", 0],
  ["[ a = b ]; echo $?", "1\n", 0],
  ["[ -d / -a -f /etc/passwd ]; echo $?", "0\n", 0],
  ["[ ! \\( -z x \\) ]; echo $?", "0\n", 0],
  ["[ 1 -eq ]; echo $?", "2\n", 0],
  ["[ 1 -eq 1; echo $?", "2\n", 0],
  ["test /etc -nt /nonexistent; echo $?", "1\n", 0],
  ["[ a = b -o ]; echo $?; [ a = a -o ]; echo $?; [ a -a ]; echo $?", "1\n0\n1\n", 0],
  ["[ a b ]; echo $?; [ -n = x ]; echo $?; [ -a x ]; echo $?", "2\n1\n2\n", 0],
  ["[ a == a ]; echo $?", "0\n", 0],
  ["test /etc -ef /etc/../etc; echo $?", "0\n", 0],
  ["[[ abc == a?c ]] && echo y", "y\n", 0],
  ["[[ abc != a* ]] || echo n", "n\n", 0],
  ["[[ f1 == f[^a] ]] && echo bash-caret; case f1 in f[^a]) echo no;; *) echo dash-caret;; esac", "bash-caret\ndash-caret\n", 0],
  ["[[ 'a*' == \"a*\" ]] && echo literal", "literal\n", 0],
  ["[[ x123 =~ ^x([0-9]+)$ ]] && echo $BASH_REMATCH", "x123\n", 0],
  ["[[ -e /etc && ( 1 -lt 2 || 0 -gt 1 ) ]] && echo ok", "ok\n", 0],
  ["x='a b'; [[ $x == 'a b' ]] && echo nosplit", "nosplit\n", 0],
]);

table("bash expansions, and what dash makes of those it reads otherwise", [
  // dash has no brace expansion: the words stay as written.
  ["echo {a,b}{1,2} x{1..3}", "{a,b}{1,2} x{1..3}\n", 0],
  ["echo {5..1..2} {a..c}", "{5..1..2} {a..c}\n", 0],
  ["x=hello; echo ${x/l/L} ${x//l/L} ${x/#h/H} ${x/%o/O}", "heLlo heLLo Hello hellO\n", 0],
  ["x=hello; echo ${x:1:3} ${x: -2} ${x:2}", "ell lo llo\n", 0],
  ["echo $((2**10)) $((7 > 3 ? 1 : 0)) $((x=5, x*2))", "1024 1 10\n", 0],
  // Postfix ++ is bash's (dash rejects it); prefix ++ is dash's two plus signs.
  ["i=0; echo $((i++)) $((++i)) $i", "0 1 1\n", 0],
  ["x=3+4; echo $((x*2))", "14\n", 0],
  ["x=1; x+=2; echo $x", "12\n", 0],
  // dash has no $'…': a `$`, then a quoted string (in which echo reads \t, not \x41).
  ["echo $'a\\tb\\x41'", "$a\tb\\x41\n", 0],
  ["cat <<< 'here string'", "here string\n", 0],
  // dash has no &>: `echo out &` runs in the background, then `> /dev/null`.
  ["echo out &> /dev/null; wait; echo $?", "out\n0\n", 0],
  ["case b in a) echo a;& b) echo b;& c) echo c;; d) echo d;; esac", "b\nc\n", 0],
  ["case a in a) echo 1;;& a) echo 2;; esac", "1\n2\n", 0],
  ["function f { echo fn $1; }; f x", "fn x\n", 0],
  // dash has no RANDOM.
  ["echo ${RANDOM-unset}", "unset\n", 0],
]);

table("loops and control flow", [
  ["for i in 1 2 3; do for j in a b; do [ $j = b ] && break 2; echo $i$j; done; done", "1a\n", 0],
  ["i=0; while true; do i=$((i+1)); [ $i -lt 3 ] && continue; break; done; echo $i", "3\n", 0],
  ["f() { for i in 1 2; do return $i; done; }; f; echo $?", "1\n", 0],
  ["i=0; while [ $i -lt 10000 ]; do i=$((i+1)); done; echo $i", "10000\n", 0],
  ["n=0; for x in $(seq 1 2000); do n=$((n+x)); done; echo $n", "2001000\n", 0],
  ["seq 1 3000 | while read n; do :; done; echo ok", "ok\n", 0],
  ["yes | head -2", "y\ny\n", 0],
  ["while :; do echo y; done | head -2", "y\ny\n", 0],
  ["f() { echo $1; [ $1 -lt 3 ] && f $(($1+1)); }; f 1", "1\n2\n3\n", 1],
  ["f() { break; }; for i in 1 2; do f; echo $i; done", "1\n2\n", 0],
  ["f() { for j in a; do continue 2; done; echo f; }; for i in 1 2; do f; done", "f\nf\n", 0],
]);

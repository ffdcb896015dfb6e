# Conformance scripts: each case is run by dash (record-dash.ts) and by rushd (conformance.test.ts).
# Cases are separated by a line with three dashes.
---
echo *.txt; echo .*; echo s*/*; echo "*.txt"; echo [ab].txt; echo [!a]*.txt; echo nomatch*
---
x="a  b   c"; set -- $x; echo $#; echo "$x"
---
IFS=:; x="a::b:"; set -- $x; echo $#; for i; do echo "[$i]"; done
---
IFS=" :"; x=" :a"; set -- $x; echo $#
---
set -- ; echo "[$@]" "$#"; for a in "$@"; do echo x; done; set -- "" ""; for a in "$@"; do echo "<$a>"; done
---
set -- a b; echo "$*"; IFS=-; echo "$*"; IFS=; echo "$*"
---
x=; echo ${x:-def} ${x-def} ${y:=assigned} $y ${x:+alt} ${HOME:+alt}
---
x=hello.tar.gz; echo ${x%.*} ${x%%.*} ${x#*.} ${x##*.} ${#x}
---
echo $((1+2*3)) $((10%3)) $(( (1+2)*3 )) $((1<2)) $((3>=3&&0)) $((1?2:3)) $((~0)) $((!5)) $((5^3)) $((6&3)) $((6|1)) $((1<<10>>2))
---
x=5; echo $((x+=3)) $((x-=1)) $((x*=2)) $((x/=3)) $((x%=3)) $((x<<=2)) $x
---
x=010; y=0x1f; echo $((x)) $((y)) $((x+y))
---
f() { local x=inner; echo $x; }; x=outer; f; echo $x
---
f() { echo "$1-$2-$#"; shift; echo "$@"; }; f a b c; echo "$#"
---
for i in 1 2 3 4 5; do if [ $i = 2 ]; then continue; fi; if [ $i = 4 ]; then break; fi; echo $i; done
---
for i in 1 2; do for j in a b c; do [ $j = b ] && continue 2; echo $i$j; done; done
---
i=0; until [ $i -ge 3 ]; do echo $i; i=$((i+1)); done
---
case hello in h*o) echo one;; *) echo two;; esac; case x in a|x) echo three;; esac; case "*" in \*) echo star;; esac
---
x=$(echo a; exit 3); echo $? $x
---
false; echo $?; true; echo $?; ! false; echo $?
---
echo a && echo b || echo c; false && echo d || echo e
---
(exit 5); echo $?; (echo sub; exit 1) || echo failed
---
x=1; (x=2; echo $x); echo $x
---
{ echo a; echo b; } > $FIXTURE/out1; cat $FIXTURE/out1
---
echo hi >&2 2>/dev/null
---
echo err 2>&1 >/dev/null | cat
---
cat <<-EOF
	tab stripped
	  $HOME
	EOF
---
cat <<'EOF'
no $HOME expansion
EOF
---
read x y <<EOF
one two three
EOF
echo "$x|$y"
---
printf '%s|%5s|%-5s|%05d|%x|%o|%c|%%\n' a b c 42 255 8 xyz
---
printf '%d %d\n' 1 2 3; printf 'a\tb\n'; printf '%b\n' 'x\ty'
---
echo -n no newline; echo; echo 'a\tb'
---
test -d /tmp && echo dir; [ -f /etc/passwd ] && echo file; [ -z "" ] && echo empty; [ abc = abc ] && echo eq; [ 1 -lt 2 -a 3 -gt 2 ] && echo and
---
[ ! -e /nonexist ] && echo notexist; [ \( 1 -eq 1 \) -o 1 -eq 2 ] && echo paren
---
x=abc; export x; sh -c 'echo $x'; y=local; sh -c 'echo "[$y]"'; z=temp sh -c 'echo $z'; echo "[$z]"
---
unset HOME; echo "[$HOME]"; x=1; unset x; echo "[${x-unset}]"
---
set -e; false; echo not reached
---
set -e; false || true; echo reached; if false; then :; fi; echo reached2
---
set -u; echo ${x:-ok}; echo $x; echo after
---
set -- a b c; shift 2; echo $1 $#
---
eval 'echo evaluated; x=5'; echo $x
---
echo $(( 1/0 ))
---
cd $FIXTURE/sub && pwd && cd .. && pwd && cd - && echo $OLDPWD
---
trap 'echo trapped' EXIT; echo body; exit 3
---
f() { return 7; }; f; echo $?
---
a=1 b=2; echo $a$b ${a}x
---
echo "a\"b" 'c"d' "e'f" a\ b
---
x='a b'; y=$x; echo "$y"; z="$x c"; echo $z
---
nosuch_cmd_x; echo $?
---
/etc/passwd; echo $?
---
command -v echo; command -v sh; type echo cd; command -v nosuch || echo none
---
getopts ab: opt -a -b val arg; echo $opt $OPTIND; getopts ab: opt -a -b val arg; echo $opt $OPTARG $OPTIND
---
set -- -a -b foo -c bar; while getopts "ab:c" o; do echo "$o:${OPTARG-}"; done; echo $OPTIND
---
seq 1 5 | while read n; do echo n$n; done | tail -2
---
yes | head -3
---
echo abc | tr a-z A-Z | rev
---
ls $FIXTURE/*.txt | wc -l
---
x=$(cat <<EOF
inner
EOF
); echo $x
---
echo $(echo $(echo nested))
---
umask 027; umask; (umask 077); umask
---
readonly r=1; echo $r; r=2; echo after
---
alias ll='echo aliased'
ll
---
f() { echo in f; }; unset -f f; f; echo $?
---
exec 3>$FIXTURE/fd3; echo to3 >&3; exec 3>&-; cat $FIXTURE/fd3
---
echo start; exec echo replaced; echo never
---
printf '%s\n' "${x:-$(echo sub)}"
---
v="a*"; echo $v; echo "$v"; set -f; echo $v
---
echo ~ ~/x; x=~; echo $x
---
i=0; while :; do i=$((i+1)); [ $i -gt 3 ] && break; done; echo $i
---
echo a; false; echo $?; exit
---
f() { false; }; f; echo $?; g() { true; return; }; g; echo $?
---
kill -l 2 9 15; kill -l 130
---
(sleep 0.1; echo bg) & echo fg; wait; echo done
---
wait 12345; echo $?
---
echo "$(printf 'a\n\n\n')"x
---
x="  lead trail  "; echo "[$x]" [$x]
---
printf 'l1\nl2\nl3\n' > f; while read -r line; do echo "<$line>"; done < f
---
printf 'a b c\n' | { read x rest; echo "$x|$rest"; }
---
printf 'x\\\ny\n' | { read v; echo "$v"; }; printf 'x\\\ny\n' | { read -r v; echo "$v"; }
---
echo one > f; echo two >> f; cat f; wc -l < f
---
set -- "a b" c; printf '[%s]\n' "$@" $@ "$*" $*
---
echo ${x=default}; echo $x
---
f() { echo "$0 $1"; }; f arg
---
echo a | (read x; echo got $x)
---
x=1; f() { x=2; }; f; echo $x
---
f() { g() { echo inner; }; }; f; g
---
echo $? ; false; echo $? $?
---
for x in a b; do :; done; echo $x
---
for x do echo $x; done
---
set -- p q; for x do echo $x; done
---
echo 'single $x' "double $HOME"
---
echo \$HOME \\ \'
---
test 2 -gt 10; echo $?; test a \< b; echo $?
---
[ -n "" ]; echo $?; [ "" ]; echo $?; [ x ]; echo $?; [ ]; echo $?
---
printf '%3d|%-3d|%+d|% d\n' 5 5 5 5
---
printf '%.2f %e %g\n' 3.14159 12345.678 0.0001
---
printf '%s\n'; printf 'x%sy\n' ""
---
printf '%5.2s|\n' abcdef
---
echo 'a\nb'; echo 'c\0101d'
---
cd /; pwd; cd; pwd
---
x=`echo back\`tick`; echo $x
---
echo $((  3  *  (  2 + 1 )  ))
---
exit 300
---
(exit 2); echo $?
---
true && (false; echo in) ; echo $?
---
false | true; echo $?
---
! true | false; echo $?
---
echo x | false; echo $?
---
set -e; (false); echo no
---
set -e; ! false; echo yes
---
set -e; f() { false; echo in; }; f || echo failed
---
set -e; x=$(false); echo no
---
unset x; echo ${x:?custom message}; echo no
---
echo "${x:-a b}" ${x:-a b}; set -- ${x:-a b}; echo $#
---
y=val; echo ${x:-$y} ${x:-"$y q"}
---
echo ${HOME#/} "${HOME#/}"
---
p='*.txt'; echo $p "$p"
---
case b.txt in *.md) echo md;; *.txt) echo txt;; esac
---
case "" in "") echo empty;; esac
---
case abc in [a-c]bc) echo range;; esac; case Abc in [[:upper:]]*) echo upper;; esac
---
x=a*; case abc in $x) echo pat;; esac; case abc in "$x") echo lit;; *) echo nolit;; esac
---
echo [[:alpha:]].txt; echo [!b].txt; echo ?.md
---
echo sub/*; echo */x.txt; echo nosuch/*
---
cat nonexistent; echo $?
---
echo hi > /nonexistent/dir/f; echo $?
---
echo a >&5; echo $?
---
exec 4<f 2>/dev/null || echo x; echo done
---
echo data > f; exec 4<f; read line <&4; echo $line; exec 4<&-
---
{ echo out; echo err >&2; } 2>&1 | cat
---
ls nonexistent 2>/dev/null; echo $?
---
echo abc > f; cat f f | wc -c
---
echo $(( 2 > 1 ? 10 : 20 ))
---
a=5 b=7; echo $(( a > b ? a : b ))
---
x=$((1+1)) y=$((x+1)); echo $x $y
---
f() { echo "[$*]"; }; IFS=,; f a b
---
sh -c 'exit 7'; echo $?
---
type nosuchthing; echo $?
---
hash nosuchthing; echo $?
---
printf '%s %s\n' a; printf 'no newline'
---
trap 'echo exiting' EXIT; (exit 3); echo $?
---
trap 'echo inner' EXIT; (trap 'echo sub' EXIT; echo in sub); echo after
---
trap; trap 'echo x' INT; trap
---
f() { echo f; }; command f 2>/dev/null; echo $?
---
command echo via command
---
export -p | grep -c PATH
---
readonly ro=1; readonly -p | grep ro=
---
x=5; readonly x; unset x; echo $x
---
set -- 1 2 3 4 5 6 7 8 9 10 11; echo $10 ${10} ${11}
---
echo $#; set a b c; echo $# $2
---
set -x; echo traced; set +x; echo untraced
---
set -o | grep errexit; set -e; set -o | grep errexit; echo $- | grep -c e
---
set -C; echo a > nc; echo b > nc; echo $?; echo c >| nc; cat nc
---
set -a; auto=1; sh -c 'echo $auto'
---
set -n; echo not run
---
IFS=; x="a b"; set -- $x; echo $#
---
unset IFS; x="a:b c"; set -- $x; echo $#
---
x=" a b "; IFS=" "; set -- $x; echo $#
---
echo a    b
---
echo "multi
line"
---
if true; then echo a; fi > f; cat f
---
for i in 1 2; do echo $i; done > f; cat f
---
while read x; do echo "l:$x"; done < f
---
case x in x) echo matched;; esac > f; cat f
---
f() { echo redirected; } ; f > f2; cat f2
---
g() { echo in g; } > f3; g; cat f3
---
echo a; { echo b; exit 4; echo c; }; echo d
---
echo "$@" | cat; set -- 'x y'; printf '<%s>' "$@"; echo
---
echo ${#}; echo ${?}; echo ${$} | grep -c .
---
echo "${HOME}" "${HOME:+set}"
---
f() { local a; a=1; echo $a; }; a=0; f; echo $a
---
f() { return 3; echo no; }; f; echo $?
---
f() { (return 4); echo $?; }; f
---
break 2>/dev/null; echo ok
---
for i in 1 2 3; do (break); echo $i; done
---
x=$(exit 9); echo $?
---
echo $(echo "a   b")  "$(echo "a   b")"
---
echo `echo '\$HOME'`
---
dir=$(pwd); cd sub; echo ${PWD#$dir}; cd ..
---
cd nonexistent_dir; echo $?
---
pwd -P >/dev/null; echo $?
---
eval "echo a; echo b"; eval; echo $?
---
eval 'x=1; echo $x'; eval 'f() { echo ev; }'; f
---
. /dev/null; echo $?
---
echo 'echo sourced $1' > s.sh; . ./s.sh; echo $?
---
echo 'return 5; echo no' > r.sh; . ./r.sh; echo $?
---
echo 'echo script "$@"' > sc; chmod +x sc; ./sc a b; echo $?
---
printf '#!/bin/sh\necho shebang "$1"\n' > sb; chmod +x sb; ./sb x
---
echo nope > ne; ./ne; echo $?
---
true > /dev/null; echo $?
---
cat < /dev/null; echo $?
---
echo $(echo a; echo b >&2) 2>/dev/null
---
printf 'a\nb\nc\n' | head -1
---
printf 'a\nb\n' | { read x; read y; echo "$y$x"; }
---
printf 'hello\n' | cat | cat | cat
---
x=$(printf 'abc' | wc -c); echo $x
---
echo "a
b" | while read l; do echo "[$l]"; done
---
seq 1 3 | (while read n; do s=$((${s:-0}+n)); done; echo $s)
---
ulimit -n >/dev/null; echo $?
---
times > /dev/null; echo $?
---
jobs; echo $?
---
true & wait; echo $?
---
(exit 3) & wait $!; echo $?
---
shift 3; echo $?
---
set -- a; shift 2; echo no
---
getopts "a" opt -x 2>/dev/null; echo "$opt $?"
---
getopts ":a:" opt -a; echo "$opt $OPTARG"
---
x=abcdef; echo ${x#a*c} ${x%d*} ${x##*[ce]} ${x%%[bd]*}
---
x='a.b.c'; echo ${x%.*} ${x%%.*} ${x#*.} ${x##*.}
---
echo ${x-unset} ${x+set}; x=; echo ${x-unset} ${x+set} ${x:+nonempty}
---
echo ${UNSETVAR:-$((1+2))}
---
echo $(( $(echo 3) + 4 ))
---
n=3; echo $(($n+1)) $((n+1))
---
echo $((-5 / 2)) $((-5 % 2)) $((5 / -2))
---
echo $((0x7fffffffffffffff)) $((0x7fffffffffffffff + 1))
---
echo $((2 > 1 && 3 > 2)) $((0 || 0)) $((5 == 5)) $((5 != 5))
---
set -x; x=1; echo "a b" $x; f() { :; }; f arg
---
set -e; x=$(false); echo no
---
set -e; false | true; echo yes; true | false; echo no
---
set -e; if ! false; then echo ok; fi; while false; do :; done; echo end
---
set -e; { false; echo no; }; echo no2
---
set -e; for i in 1; do false; echo no; done
---
set -e; f() { false; return 0; }; f; echo no
---
set -e; false && true; echo yes
---
set -u; f() { echo ${1:-none}; }; f; echo $#; echo "$@"; echo ok
---
set -u; x=; echo "[$x]"; unset x; echo ${x-dflt}; echo ${#x}
---
printf '%s\n' a b | while read l; do case $l in a) echo A;; *) echo other;; esac; done
---
x=$(printf '%s\n' 1 2 3 | tail -1); echo $x
---
echo hi | read v; echo "[$v]"
---
f() { echo "$@"; }; f "$(echo a b)" c
---
a=$(echo "x y"); set -- $a; echo $#
---
echo "${x:-"quoted default"}"
---
IFS=,; read a b c <<EOF
1,2,3,4
EOF
echo "$a|$b|$c"
---
read a <<EOF
  spaced  
EOF
echo "[$a]"
---
read -r a <<'EOF'
back\slash
EOF
echo "$a"
---
while IFS= read -r line; do echo "[$line]"; done <<EOF
  x  
y
EOF
---
v=abc; echo ${v#"a"} ${v%"c"} "${v#?}"
---
echo "$(echo "nested \"quotes\"")"
---
t="a'b"; echo "$t" '$t'
---
echo $(( 010 + 0x10 + 10 ))
---
printf '%i %u %X %#x %#o\n' 42 42 255 255 8
---
printf '%-4s|%4s|\n' ab cd; printf '%.1s\n' xyz
---
printf '%c%c\n' hello world
---
printf '\101\102\n'; printf '%b\n' '\0101'
---
printf 'x\cy\n'; echo after
---
echo 'x\cy'; echo after
---
printf '%s' a b c; echo
---
printf '%d\n' 0x1f 010 -5 "'A"
---
cd /tmp; cd ..; pwd; cd -; cd /nonexistent 2>/dev/null; echo $?
---
echo $PWD | grep -c /; cd /usr/bin; echo $PWD; echo $OLDPWD
---
x=1; export x; export -p | grep 'x='
---
unset -v PATH; ls 2>/dev/null; echo $?
---
PATH=/nonexistent; ls; echo $?
---
type true cd : if ls | sed 's|/usr||'
---
f() { echo f; }; type f | head -1
---
trap 'echo got USR1' USR1; kill -USR1 $$; echo after
---
echo $$ | grep -c '^[0-9]*$'
---
sh -c 'echo $0 $1' name arg
---
x=5; (echo $x; x=6); echo $x
---
echo a; (exit 3) && echo no || echo $?
---
f() { local x; x=2; g; }; g() { echo $x; }; x=1; f; echo $x
---
i=5; while [ $i -gt 0 ]; do i=$((i-1)); [ $i = 2 ] && break; done; echo $i
---
for f in *.txt; do echo "file $f"; done
---
for f in *.zzz; do echo "file $f"; done
---
echo $((1+)) ; echo after
---
echo ${x?}; echo after
---
x=a; case $x in (a) echo paren;; esac
---
case x in esac; echo $?
---
if (exit 3); then :; else echo $?; fi
---
while false; do :; done; echo $?
---
false; while false; do :; done; echo $?
---
false; for i in; do :; done; echo $?
---
echo one; exec >/dev/null; echo two
---
exec 2>&1; ls /nonexistent
---
{ echo a >&3; } 3>&1
---
exec 3>&1; echo via3 >&3; exec 3>&-; echo gone >&3; echo $?
---
cat <<EOF | tr a-z A-Z
upper $((1+1))
EOF
---
cat <<EOF1; cat <<EOF2
one
EOF1
two
EOF2
---
x=y; cat <<EOF
\$x=$x \\ \`
EOF
---
f() { cat; }; echo piped | f
---
echo "tab	here" | cat
---
: > empty; wc -c < empty
---
echo a b c | { read x y; echo "$y"; }
---
printf 'no newline' | { read x; echo "$? [$x]"; }
---
echo $(printf '\n\n')x
---
IFS=: read a b <<EOF
x:y:z
EOF
echo "[$a][$b]"
---
IFS=: read a b c <<EOF
x::z:
EOF
echo "[$a][$b][$c]"
---
IFS=: read a b <<EOF
x:
EOF
echo "[$a][$b]"
---
IFS=" :" read a b <<EOF
  x : y : z  
EOF
echo "[$a][$b]"
---
read a b <<EOF
   one   two   three   
EOF
echo "[$a][$b]"
---
IFS=, read a <<EOF
x,y,
EOF
echo "[$a]"
---
IFS=, read a b <<EOF
x,y,
EOF
echo "[$a][$b]"
---
read a b <<EOF
one\ two three
EOF
echo "[$a][$b]"
---
echo "a b" | { IFS= read x; echo "[$x]"; }
---
x=$(printf 'a\tb'); IFS='	'; set -- $x; echo $#
---
set -- "$(printf 'x\n\ny')"; echo "$1" | wc -l
---
f() { echo "$#:$*"; }; x="1 2  3"; f $x; f "$x"; IFS=; f $x
---
a="*.txt"; for f in $a; do echo "$f"; done
---
echo "$((3 + $(echo 4)))"
---
x=5; y=x; echo $(( $y + 1 ))
---
printf '%s\n' "$(echo "a
b")"
---
echo $(ls *.txt)
---
cd sub; echo *; cd ..; echo s*
---
echo [a-b]* [!.]*.md
---
echo \*.txt '*'.txt "*".txt
---
x='[ab].txt'; echo $x "$x"
---
echo ${PWD##*/} | grep -c .
---
v=abc; echo ${v#} ${#v} ${v%%} ${v:-}
---
echo ${1-one} ${1:-two}; set -- ""; echo ${1-one} ${1:-two}
---
unset y; echo ${y:+x}z ${y+x}z
---
trap 'echo $?' EXIT; false
---
trap 'exit 5' EXIT; exit 2
---
f() { trap 'echo in trap' EXIT; }; f; echo after
---
(trap 'echo sub exit' EXIT; exit 1); echo $?
---
echo $( (exit 4) ; echo $?)
---
x=$(trap 'echo t' EXIT; echo body); echo "[$x]"
---
set -e; trap 'echo cleanup' EXIT; false; echo no
---
for i in 1 2 3; do case $i in 2) continue;; 3) break;; esac; echo $i; done
---
until false; do break; done; echo $?
---
while true; do while true; do break 2; done; echo no; done; echo out
---
f() { while true; do return 4; done; }; f; echo $?
---
i=0; while [ $i -lt 3 ]; do i=$((i+1)); [ $i -eq 2 ] && continue; echo $i; done
---
echo a > f; echo b >> f; while read l; do echo "$l"; done < f; exec 3< f; read x <&3; read y <&3; echo $x$y
---
{ read a; read b; } < f; echo $a$b
---
while read l; do echo "$l"; read m; echo "m=$m"; done < f
---
cat f | (read a; cat)
---
echo x | { cat; echo y; }
---
echo "   " | { read x; echo "[$x]"; }
---
f() { cat <<EOF
in f: $1
EOF
}; f arg; for i in 1 2; do cat <<EOF
loop $i
EOF
done
---
f() { set -- x y; echo $#; }; set -- a; f; echo $# $1
---
f() { shift; echo "$@"; }; f 1 2 3; echo "$#"
---
f() { IFS=:; }; f; x=a:b; set -- $x; echo $#
---
pat='*.txt'; case a.txt in $pat) echo m;; esac; case '*.txt' in "$pat") echo lit;; esac
---
echo "$(echo "$(echo 'deep "nest"')")"
---
x='$HOME'; eval "echo $x"; eval 'echo $x'
---
set -- 'a b' c; eval 'for i in "$@"; do echo "[$i]"; done'
---
a=1; b=2; eval "c=\$a\$b"; echo $c
---
echo ${x:-${y:-${z:-deep}}}
---
x=abc; echo ${x#${x%?}}
---
i=0; while [ $((i+=1)) -le 3 ]; do echo $i; done
---
for ((i=0;i<2;i++)); do echo $i; done 2>/dev/null; echo after
---
echo $(( $(echo 2) * $(echo 3) ))
---
v=$(echo "a
b
c" | wc -l); echo $v
---
echo 'it''s' "a"'b'c
---
echo "\$ \` \\ \" \a"
---
printf '%s\n' "a\\b" 'a\\b'
---
x="a\\nb"; echo "$x"; printf '%s\n' "$x"
---
cat <<EOF
a\\b \$x \`cmd\` "q" 'q'
EOF
---
cat <<"EOF"
$x `cmd` \\
EOF
---
f() { return; }; false; f; echo $?
---
f() { false; return; }; f; echo $?
---
x=1; f() { x=2; return 0; }; f && echo $x
---
(cd /; echo $PWD); [ "${PWD##*/}" = "$(basename "$PWD")" ] && echo same
---
trap 'echo int' INT; trap - INT; trap
---
echo start; trap 'echo one; exit 5' EXIT; (exit 2); echo $?
---
false || { echo recovered; true; }; echo $?
---
! { false; }; echo $?
---
{ false; } || echo or
---
if ! [ -e /nonexistent ]; then echo absent; fi
---
[ "$(echo)" = "" ] && echo empty-subst
---
x=" a "; [ "$x" = " a " ] && echo kept
---
test -z "$unset_var" && test -n "x" && echo ok
---
for i in a b c; do echo $i; done | sort -r | head -1
---
echo abc | { read x; echo ${#x}; }
---
exec 3>&1; (echo sub >&3); exec 3>&-
---
{ echo a; echo b >&2; } 2>/dev/null
---
echo x 1>&2 2>/dev/null | cat
---
(echo a; echo b) | wc -l
---
echo $((5>3)) $((5<3)) $((5>=5)) $((5<=4))
---
echo $(( -3 >> 1 )) $(( 1 << 62 ))
---
x=7; echo $(( x % 3 )) $(( -x % 3 )) $(( x / -2 ))
---
set -f; x='*'; echo $x; set +f; echo "$x"
---
IFS=x; v=axbxc; echo $v; set -- $v; echo $#
---
unset IFS; v=" a  b "; set -- $v; echo $# "[$1]"
---
echo "${#}" "${##}" 2>/dev/null
---
# read from a regular file reads it in blocks and moves the offset back to just after the line (read-line.ts): what runs next reads on from there, as after dash's byte-at-a-time read
---
seq 1 20 > f; { while read l; do case $l in 7) break;; esac; done; echo "at $l"; cat; } < f
---
seq 1 6 > f; { read a; read b; head -n 1; read c; echo "$a $b $c"; cat; } < f
---
seq 1 3 > f; exec 3< f; read x <&3; sed -n 1p <&3; read y <&3; echo "$x $y"; exec 3<&-
---
head -c 5000 /dev/zero | tr '\0' x > f; echo end >> f; echo after >> f; { read l; echo ${#l}; cat; } < f
---
head -c 70000 /dev/zero | tr '\0' y > f; printf 'z\nnext\n' >> f; { read -r l; echo ${#l}; cat; } < f
---
for n in 254 255 256 510 511 512 513 1023 1024 1535 1536; do { head -c $n /dev/zero | tr '\0' a; printf '\\\nbb\nrest\n'; } > f; { read l; echo "$n ${#l}"; cat; } < f; done
---
for n in 511 512; do { head -c $n /dev/zero | tr '\0' a; printf '\\\\\nbb\n'; } > f; { read l; read m; echo "$n ${#l} $m"; } < f; { read -r l; echo "${#l}"; cat; } < f; done
---
printf 'a\nb' > f; { read x; read y; echo "$?:$x:$y"; } < f; while read l; do echo "[$l]"; done < f; echo "after [$l]"
---
printf 'one\\\n' > f; { read x; echo "$?:$x"; }  < f; printf 'p q\\\n' > f; read -r x y < f; echo "$?:$x:$y"
---
printf '\377a\376\n\300 \341\n\342\202\254\n' > f; { read x; printf %s "$x" | od -An -tx1; read y z; printf '%s|%s' "$y" "$z" | od -An -tx1; cat | od -An -tx1; } < f
---
printf 'a\0b\\\0\nc\0\nd\n' > f; { read x; printf %s "$x" | od -An -c; cat | od -An -c; } < f
---
printf '  x  y  \n\tz\t\n' > f; { read a; IFS= read b; echo "[$a][$b]"; } < f; { IFS=: read a b; echo "[$a][$b]"; } < f
---
printf 'a\nb\n' | { read x; cat; }
---
mkfifo p; seq 1 3 > p & { read x; echo "x=$x"; cat; } < p; wait

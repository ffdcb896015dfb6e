echo $PPID

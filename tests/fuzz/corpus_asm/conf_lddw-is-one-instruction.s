lddw %r0, 3
exit

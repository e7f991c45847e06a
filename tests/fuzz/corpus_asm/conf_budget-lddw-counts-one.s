lddw %r0, 7
exit

mov %r0, 1
ja +2
lddw %r0, 2
exit

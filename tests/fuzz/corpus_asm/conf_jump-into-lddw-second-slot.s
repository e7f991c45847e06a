mov %r0, 1
ja +1
lddw %r0, 5
exit

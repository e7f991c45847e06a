mov %r0, 1
lddw %r10, 0x30000200
exit

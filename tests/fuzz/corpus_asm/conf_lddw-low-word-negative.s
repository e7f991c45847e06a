lddw %r0, 0x80000000
exit

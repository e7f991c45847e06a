lddw %r0, 0x8000000000000000
smod %r0, -1
exit

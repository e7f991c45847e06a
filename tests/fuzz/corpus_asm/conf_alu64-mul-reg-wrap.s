lddw %r0, 0x123456789
lddw %r1, 0x100000001
mul %r0, %r1
exit

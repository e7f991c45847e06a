lddw %r0, 0xffffffff00000064
lddw %r1, 0x1000000000000005
div32 %r0, %r1
exit

lddw %r0, 0x100000000
neg32 %r0
exit

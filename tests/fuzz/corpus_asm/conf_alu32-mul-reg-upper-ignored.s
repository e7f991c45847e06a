lddw %r0, 0x100000003
lddw %r1, 0x200000005
mul32 %r0, %r1
exit

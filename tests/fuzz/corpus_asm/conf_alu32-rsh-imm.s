lddw %r0, 0xffffffff80000000
rsh32 %r0, 31
exit

lddw %r0, 0xffffffff00000000
or32 %r0, 1
exit

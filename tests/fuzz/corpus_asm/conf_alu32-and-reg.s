lddw %r0, 0xffffffff12345678
lddw %r1, 0xffffffff0000ffff
and32 %r0, %r1
exit

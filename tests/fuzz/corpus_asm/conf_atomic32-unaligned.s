mov32 %r3, 0x01020304
lock xor32 [%r1+1], %r3
ldxdw %r0, [%r1+0]
exit

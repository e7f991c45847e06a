lddw %r3, 0x10000000
stxh [%r3+39], %r3
mov %r0, 0
exit

lddw %r3, 0x18000000
stxb [%r3+0], %r3
exit

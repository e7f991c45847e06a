lddw %r3, 0x30000ffc
stxdw [%r3+0], %r3
exit

lddw %r3, 0x200ffffc
stxdw [%r3+0], %r1
exit

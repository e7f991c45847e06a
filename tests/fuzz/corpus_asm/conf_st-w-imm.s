stw [%r1+0], -1
ldxdw %r0, [%r1+0]
exit

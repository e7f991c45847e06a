stw [%r1+1], 0x11223344
ldxdw %r0, [%r1+0]
exit

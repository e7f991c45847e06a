stdw [%r10-8], 0x1111
call local f
ldxdw %r0, [%r10-8]
exit
f:
stdw [%r10-8], 0x2222
exit

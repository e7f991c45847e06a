call local f
call local f
exit
f:
ldxdw %r0, [%r10-8]
stdw [%r10-8], 5
exit

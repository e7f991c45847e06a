mov %r1, %r10
stdw [%r10-8], 1
call local f
ldxdw %r0, [%r10-8]
exit
f:
stdw [%r1-8], 9
exit

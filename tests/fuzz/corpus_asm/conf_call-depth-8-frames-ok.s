mov %r0, 0
call local f
exit
f:
add %r0, 1
stxdw [%r10-8], %r0
jge %r0, 7, +1
call local f
ldxdw %r1, [%r10-8]
lsh %r0, 4
or %r0, %r1
exit

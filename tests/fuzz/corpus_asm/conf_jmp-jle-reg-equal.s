mov %r0, 0
lddw %r1, 0xffffffffffffffff
mov %r2, -1
jle %r1, %r2, +1
exit
mov %r0, 1
exit

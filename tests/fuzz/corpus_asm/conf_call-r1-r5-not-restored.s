mov %r1, 1
mov %r5, 5
call local f
mov %r0, %r1
lsh %r0, 8
or %r0, %r5
exit
f:
mov %r1, 0x77
mov %r5, 0x55
exit

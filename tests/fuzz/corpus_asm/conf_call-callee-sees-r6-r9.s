mov %r6, 0x66
mov %r9, 0x99
call local f
exit
f:
mov %r0, %r6
lsh %r0, 8
or %r0, %r9
exit

mov %r6, 6
mov %r7, 7
mov %r8, 8
mov %r9, 9
call local f
mov %r0, %r6
lsh %r0, 8
or %r0, %r7
lsh %r0, 8
or %r0, %r8
lsh %r0, 8
or %r0, %r9
exit
f:
mov %r6, 0x16
mov %r7, 0x17
mov %r8, 0x18
mov %r9, 0x19
exit

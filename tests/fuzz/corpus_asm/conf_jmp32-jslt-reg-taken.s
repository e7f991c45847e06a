mov %r0, 0
mov32 %r1, 0x80000000
mov32 %r2, 0x7fffffff
jslt32 %r1, %r2, +1
exit
mov %r0, 1
exit

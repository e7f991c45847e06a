mov %r0, 0
mov %r1, 5
mov %r2, 5
jslt32 %r1, %r2, +1
exit
mov %r0, 1
exit

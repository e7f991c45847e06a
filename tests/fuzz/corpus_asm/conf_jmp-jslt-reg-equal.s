mov %r0, 0
mov %r1, -4
mov %r2, -4
jslt %r1, %r2, +1
exit
mov %r0, 1
exit

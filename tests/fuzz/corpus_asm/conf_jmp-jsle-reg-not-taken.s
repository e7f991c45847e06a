mov %r0, 0
mov %r1, 2
mov %r2, -2
jsle %r1, %r2, +1
exit
mov %r0, 1
exit

mov %r0, 0
mov %r1, 5
mov %r2, -1
jsgt %r1, %r2, +1
exit
mov %r0, 1
exit

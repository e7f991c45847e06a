mov %r0, 0
mov %r1, -1
jsgt %r1, 5, +1
exit
mov %r0, 1
exit

mov %r0, 0
mov32 %r1, -1
jslt %r1, 0, +1
exit
mov %r0, 1
exit

mov %r0, 0
mov %r1, -7
jsle %r1, -7, +1
exit
mov %r0, 1
exit

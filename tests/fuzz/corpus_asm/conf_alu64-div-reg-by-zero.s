mov %r0, 77
mov %r1, 0
div %r0, %r1
exit

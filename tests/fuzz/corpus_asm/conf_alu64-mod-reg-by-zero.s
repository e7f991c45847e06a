mov %r0, 77
mov %r1, 0
mod %r0, %r1
exit

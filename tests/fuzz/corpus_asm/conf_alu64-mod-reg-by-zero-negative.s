mov %r0, -5
mov %r1, 0
mod %r0, %r1
exit

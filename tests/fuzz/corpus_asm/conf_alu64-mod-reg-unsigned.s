lddw %r0, 0xffffffffffffffff
mov %r1, 10
mod %r0, %r1
exit

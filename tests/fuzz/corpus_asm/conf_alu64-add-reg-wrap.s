lddw %r0, 0xffffffffffffffff
mov %r1, 2
add %r0, %r1
exit

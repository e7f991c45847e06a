lddw %r0, 0xffffffffffffffff
ldxb %r0, [%r1+0]
exit

lddw %r0, 0xffffffffffffffff
div %r0, -1
exit

lddw %r0, 0xffffffffffffffff
lsh32 %r0, 4
exit

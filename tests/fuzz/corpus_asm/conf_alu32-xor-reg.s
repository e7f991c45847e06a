lddw %r0, 0x0123456789abcdef
lddw %r1, 0x76543210ffffffff
xor32 %r0, %r1
exit

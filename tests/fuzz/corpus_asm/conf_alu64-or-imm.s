lddw %r0, 0xf000000000000000
or %r0, 0x0f
exit

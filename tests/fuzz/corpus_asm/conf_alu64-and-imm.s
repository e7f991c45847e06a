lddw %r0, 0x123456789abcdef0
and %r0, 0xff00
exit

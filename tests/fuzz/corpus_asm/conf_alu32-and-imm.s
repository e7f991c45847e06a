lddw %r0, 0xffffffffffffffff
and32 %r0, 0xff00
exit

lddw %r0, 0xff00ff00ff00ff00
lddw %r1, 0x0ff00ff00ff00ff0
and %r0, %r1
exit

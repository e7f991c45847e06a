mov32 %r0, 0xffffffff
div32 %r0, -1
exit

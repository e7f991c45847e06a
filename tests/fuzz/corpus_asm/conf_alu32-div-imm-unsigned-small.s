mov32 %r0, 10
div32 %r0, -1
exit

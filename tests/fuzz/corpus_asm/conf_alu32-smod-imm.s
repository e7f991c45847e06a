mov32 %r0, -100
smod32 %r0, 7
exit

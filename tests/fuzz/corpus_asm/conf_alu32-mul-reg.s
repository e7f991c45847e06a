mov32 %r0, 0xffffffff
mov32 %r1, 0xffffffff
mul32 %r0, %r1
exit

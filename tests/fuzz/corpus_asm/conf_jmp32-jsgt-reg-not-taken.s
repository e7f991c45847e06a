mov %r0, 0
mov32 %r1, 0xfffffffe
mov32 %r2, 0xffffffff
jsgt32 %r1, %r2, +1
exit
mov %r0, 1
exit

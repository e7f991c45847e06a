mov %r0, 0
mov32 %r1, 0xffffffff
jgt32 %r1, 5, +1
exit
mov %r0, 1
exit

mov %r0, 0
mov32 %r1, 0x80000000
jsgt32 %r1, 0, +1
exit
mov %r0, 1
exit

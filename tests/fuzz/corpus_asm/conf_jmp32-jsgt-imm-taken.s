mov %r0, 0
lddw %r1, 0x8000000000000001
jsgt32 %r1, 0, +1
exit
mov %r0, 1
exit

mov %r0, 0
lddw %r1, 0x8000000000000000
mov %r2, 0
jsgt %r1, %r2, +1
exit
mov %r0, 1
exit

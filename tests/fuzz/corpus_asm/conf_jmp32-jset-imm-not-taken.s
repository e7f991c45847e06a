mov %r0, 0
lddw %r1, 0xff00000000
jset32 %r1, -1, +1
exit
mov %r0, 1
exit

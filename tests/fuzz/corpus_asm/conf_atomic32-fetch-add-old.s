lddw %r3, 0xdeadbeef0ff00ff0
lock fetch add32 [%r1+0], %r3
mov %r0, %r3
exit
